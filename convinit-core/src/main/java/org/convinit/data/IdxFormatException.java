package org.convinit.data;

import java.io.IOException;

/** An IDX file that is not what its header says (or not an IDX file at all). The message names the file. */
public final class IdxFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public IdxFormatException(String message) {
        super(message);
    }

    public IdxFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
