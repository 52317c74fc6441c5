package org.convinit.lab.study;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.convinit.data.ImageDataset;
import org.convinit.nn.Module;

/** Diagnoses a model at init on one batch: the diagnose document of docs/study-json.md. */
@FunctionalInterface
public interface Diagnoser {
    /**
     * The diagnose document for {@code model} on {@code batch} (the first {@code batch.size()} training images of
     * {@code source}, in file order). May run forward and backward passes; the cell restores the model's state after.
     */
    ObjectNode diagnose(Module model, ImageDataset.Batch batch, String source);

    /** No diagnosis: cells record {@code "diagnosis": null}. */
    Diagnoser NONE = (model, batch, source) -> null;
}
