package org.convinit.lab.study;

import java.util.Objects;

import org.convinit.data.ImageDataset;

/**
 * The data a study trains and tests on, with what the report records about it: a human description of
 * the source ({@code built-in Fashion-MNIST subset}, a directory) and the SHA-256 of its files.
 */
public record StudyData(String source, ImageDataset train, ImageDataset test, String sha256) {
    public StudyData {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(sha256, "sha256");
        if (train.size() == 0 || test.size() == 0) {
            throw new IllegalArgumentException(source + ": " + train.size() + " training and " + test.size()
                    + " test images; expected at least one of each");
        }
    }

    /** The first {@code n} training images in file order, scaled to [0, 1] (the diagnosis batch). */
    public ImageDataset.Batch firstTrainingBatch(int n) {
        int len = Math.min(n, train.size());
        int[] idx = new int[len];
        for (int i = 0; i < len; i++) idx[i] = i;
        return train.batch(idx);
    }
}
