package org.convinit.cli;

import org.convinit.lab.study.DataSpec;
import org.convinit.lab.study.Diagnoser;
import org.convinit.lab.study.Plan;
import org.convinit.lab.study.ResultsDirectory;
import org.convinit.lab.study.StudyData;
import org.convinit.lab.study.StudyRunner;

/**
 * Where {@code convinit study} runs its cells: {@link #LOCAL}, this machine's workers, or another engine (convinit-spark's
 * driver passes one to {@link Main#run(String[], java.io.PrintWriter, java.io.PrintWriter, StudyEngine)}). Options,
 * checks, the results directory and the report are the command's whatever the engine.
 */
public interface StudyEngine {
    /**
     * The engine for {@code plan} on {@code data} (described by {@code spec}); {@code results} is the results directory
     * (null without one), {@code parallel} the cells at once that --parallel asked for. A plan this engine cannot run is an
     * {@link IllegalArgumentException} (a usage error).
     */
    StudyRunner.Engine create(Plan plan, StudyData data, DataSpec spec, ResultsDirectory results, int parallel);

    /** The cells that run at once, as the report records it. */
    default int parallelCells(int parallel) {
        return parallel;
    }

    /** Said after "N at a time" on the first line ("" locally). */
    default String description() {
        return "";
    }

    /** --parallel workers on this machine. */
    StudyEngine LOCAL = (plan, data, spec, results, parallel) -> StudyRunner.local(plan.config(), data, Diagnoser.STANDARD, parallel);
}
