package org.convinit.nn;

/** A convolution's {@code padding_mode}. */
public enum PaddingMode {
    ZEROS("zeros"),
    REFLECT("reflect"),
    REPLICATE("replicate"),
    CIRCULAR("circular");

    private final String torchName;

    PaddingMode(String torchName) {
        this.torchName = torchName;
    }

    public String torchName() {
        return torchName;
    }

    /** The {@code F.pad} mode that pads the same way ({@code zeros}: {@link PadMode#CONSTANT} with 0). */
    public PadMode padMode() {
        return this == ZEROS ? PadMode.CONSTANT : PadMode.valueOf(name());
    }

    public static PaddingMode parse(String name) {
        for (PaddingMode m : values()) if (m.torchName.equals(name)) return m;
        throw new IllegalArgumentException("padding_mode must be one of ['zeros', 'reflect', 'replicate', 'circular'], "
                + "but got padding_mode='" + name + "'");
    }

    @Override
    public String toString() {
        return torchName;
    }
}
