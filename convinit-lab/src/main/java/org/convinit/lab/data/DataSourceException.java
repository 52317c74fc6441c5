package org.convinit.lab.data;

/**
 * A data set that cannot be used: a directory without the four IDX files, an unreadable or malformed file, a built-in
 * file whose checksum does not match {@code SHA256SUMS}. The message is one line and names the directory or file.
 * Unchecked, so {@link DataSource#train()} can be called from a lambda; the CLI reports it as a failure (exit 1).
 */
public final class DataSourceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataSourceException(String message) {
        super(message);
    }

    public DataSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
