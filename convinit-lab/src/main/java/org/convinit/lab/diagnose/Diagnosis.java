package org.convinit.lab.diagnose;

import java.util.List;

/**
 * One network at init on one fixed batch: the {@code convinit-diagnose/1} document of {@code docs/study-json.md}.
 *
 * @param model  the model as given (constructor expression)
 * @param init   how the weights were made
 * @param batch  the batch (source, indices, size, hash)
 * @param loss   the batch's mean cross-entropy (training mode)
 * @param layers leaf modules in module order
 */
public record Diagnosis(String model, InitInfo init, BatchInfo batch, double loss, List<LayerStats> layers, Verdict verdict) {
    public static final String SCHEMA = "convinit-diagnose/1";

    public Diagnosis {
        layers = List.copyOf(layers);
    }

    /** The seed and init expressions, or the weights file they came from; null where not used. */
    public record InitInfo(Long seed, String init, String biasInit, String weights) {}

    /** {@code indices} in the JSON is {@code [first, last]}, inclusive. */
    public record BatchInfo(String source, int first, int last, int size, String sha256) {
        static BatchInfo of(DiagnoseBatch b) {
            return new BatchInfo(b.source(), b.first(), b.last(), b.size(), b.sha256());
        }
    }

    /** The layer with this name, or null. */
    public LayerStats layer(String name) {
        for (LayerStats l : layers) if (l.name().equals(name)) return l;
        return null;
    }
}
