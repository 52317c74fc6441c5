package org.convinit.io;

/**
 * A checkpoint file that cannot be read or written: the one checked exception type of convinit-io.
 * The {@link Reason} says what was wrong; the message says where and what was expected.
 */
public final class CheckpointException extends Exception {
    /** Why a file was refused. */
    public enum Reason {
        /** The file could not be read or written (I/O error). */
        IO,
        /** The file ends before a declared structure does. */
        TRUNCATED,
        /** A header or index is malformed (bad JSON, bad magic, bad field). */
        MALFORMED_HEADER,
        /** A declared size is over a safety cap. */
        TOO_LARGE,
        /** A dtype the format or convinit does not support. */
        UNSUPPORTED_DTYPE,
        /** Data offsets overlap, leave gaps, or do not cover the data exactly. */
        BAD_OFFSETS,
        /** Shape, strides or element count are inconsistent with the data. */
        BAD_SHAPE,
        /** The same key appears twice. */
        DUPLICATE_KEY,
        /** A requested key is not in the file. */
        MISSING_KEY,
        /** The format is not one convinit reads (or is refused, e.g. TorchScript). */
        UNSUPPORTED_FORMAT,
        /** Content that is refused for safety (e.g. a pickle global outside the allow-list). */
        UNSAFE,
        /** A zip record's content does not match its CRC-32: the file was damaged after it was written. */
        CHECKSUM,
        /** The tensors do not fit the JVM's heap; the message says how much is needed and how to give it. */
        NOT_ENOUGH_MEMORY
    }

    private final Reason reason;

    public CheckpointException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public CheckpointException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
