/**
 * The study: models × initialization schemes × seeds, each cell diagnosed at init and trained, compared with
 * 95% Student-t intervals over the seeds. {@link org.convinit.lab.study.Plan} lists the cells,
 * {@link org.convinit.lab.study.CellRunner} runs one (a deterministic function of its inputs, with its own
 * default generator), {@link org.convinit.lab.study.StudyRunner} runs them on a fixed number of workers,
 * {@link org.convinit.lab.study.StudyDocument} writes the {@code convinit-study/1} JSON of docs/study-json.md and
 * {@link org.convinit.lab.study.CurvesCsv} the curves.
 */
package org.convinit.lab.study;
