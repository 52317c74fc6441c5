/**
 * Judging an initialization: what it does to a network at init ({@code diagnose}), and across seeds when
 * the network is trained ({@code study}), with a self-contained HTML report. Depends on the core and io;
 * the report's charts are Apache ECharts, inlined.
 */
package org.convinit.lab;
