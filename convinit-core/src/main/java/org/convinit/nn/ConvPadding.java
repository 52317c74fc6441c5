package org.convinit.nn;

/** A convolution's string padding, torch's {@code padding='valid'} (none) or {@code padding='same'} (output size = input size). */
public enum ConvPadding {
    VALID("valid"),
    SAME("same");

    private final String torchName;

    ConvPadding(String torchName) {
        this.torchName = torchName;
    }

    public String torchName() {
        return torchName;
    }

    /** {@code "valid"} or {@code "same"}; anything else fails naming both. */
    public static ConvPadding parse(String name) {
        for (ConvPadding p : values()) if (p.torchName.equals(name)) return p;
        throw new IllegalArgumentException("Invalid padding string '" + name + "', should be one of {'valid', 'same'}");
    }

    @Override
    public String toString() {
        return torchName;
    }
}
