package org.convinit.cli;

import java.io.IOException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.convinit.lab.study.Diagnoser;

/** Where the study meets the diagnose and report pieces of convinit-lab. */
final class StudyDiagnosis {
    private StudyDiagnosis() {}

    static final Diagnoser DIAGNOSER = Diagnoser.STANDARD;

    /** Writes the HTML report of {@code doc} to {@code html}, atomically. */
    static void writeReport(ObjectNode doc, Path html) throws IOException {
        // TODO(study): org.convinit.lab.report is not on main yet; until it is, no HTML is written.
    }
}
