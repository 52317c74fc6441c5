/**
 * {@code convinit diagnose}: one network at init on one fixed batch, measured per leaf module through forward and
 * full backward hooks ({@link org.convinit.lab.diagnose.Diagnose}), with He et al. 2015's prediction beside each
 * measurement ({@link org.convinit.lab.diagnose.Theory}), a one-line {@link org.convinit.lab.diagnose.Verdict}, the
 * {@code convinit-diagnose/1} JSON document ({@link org.convinit.lab.diagnose.DiagnosisJson}, schema in
 * {@code docs/study-json.md}) and a text table ({@link org.convinit.lab.diagnose.DiagnosisTable}).
 */
package org.convinit.lab.diagnose;
