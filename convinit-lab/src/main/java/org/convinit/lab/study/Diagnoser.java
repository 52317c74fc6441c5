package org.convinit.lab.study;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.convinit.data.ImageDataset;
import org.convinit.lab.diagnose.Diagnose;
import org.convinit.lab.diagnose.DiagnoseBatch;
import org.convinit.lab.diagnose.Diagnosis;
import org.convinit.lab.diagnose.DiagnosisJson;
import org.convinit.nn.Module;

/** Diagnoses a cell's model at init on one batch: the diagnose document of docs/study-json.md. */
@FunctionalInterface
public interface Diagnoser {
    /**
     * The diagnose document for {@code model} (the cell's, initialized) on {@code batch}, the first {@code batch.size()}
     * training images of {@code source} in file order. May run forward and backward passes; the cell restores the
     * model's state after.
     */
    ObjectNode diagnose(Cell cell, Module model, ImageDataset.Batch batch, String source);

    /** No diagnosis: cells record {@code "diagnosis": null}. */
    Diagnoser NONE = (cell, model, batch, source) -> null;

    /** {@code convinit diagnose}'s numbers ({@link Diagnose#run}), the model and init recorded as the cell's. */
    Diagnoser STANDARD = (cell, model, batch, source) -> {
        String scheme = cell.scheme().name();
        boolean file = scheme.startsWith("file:");
        Diagnosis.InitInfo init = new Diagnosis.InitInfo(cell.seed(), file ? null : scheme, null,
                file ? scheme.substring("file:".length()) : null);
        DiagnoseBatch b = DiagnoseBatch.of(batch.images(), batch.labels(), source, 0);
        return DiagnosisJson.toJson(Diagnose.run(model, cell.model().expr(), init, b));
    };
}
