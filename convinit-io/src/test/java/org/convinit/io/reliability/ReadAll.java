package org.convinit.io.reliability;

import java.nio.file.Path;

import org.convinit.io.CheckpointException;
import org.convinit.io.Checkpoints;

/** The child of {@link HeapLimitTest}: reads every tensor of {@code FILE}; a refusal is one line on stderr and exit 1. */
public final class ReadAll {
    private ReadAll() {}

    public static void main(String[] args) {
        try {
            System.out.println("read " + Checkpoints.readTensors(Path.of(args[0])).size() + " tensors");
        } catch (CheckpointException e) {
            System.err.println("convinit: " + e.getMessage());
            System.exit(1);
        }
    }
}
