/**
 * The study's report: {@link org.convinit.lab.report.StudyReport} turns a {@code convinit-study/1} document
 * (docs/study-json.md) into one self-contained HTML page — summary, results table, signal propagation at init
 * (activation and gradient std per layer, log scale, with He et al. 2015's predicted line), per-layer
 * activation histograms as heatmaps, loss and accuracy curves with 95% bands across seeds, and the
 * reproducibility block. Charts are Apache ECharts 5.3.1 (SVG renderer), inlined from its npm WebJar.
 */
package org.convinit.lab.report;
