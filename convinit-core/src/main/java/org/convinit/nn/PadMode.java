package org.convinit.nn;

/**
 * The {@code mode} of {@code F.pad}: which input element a padded position copies. A convolution's
 * {@link PaddingMode} pads through the same rule ({@link PaddingMode#padMode()}).
 */
public enum PadMode {
    /** A constant value (zero for a convolution's {@code padding_mode='zeros'}). */
    CONSTANT("constant"),
    /** Mirror without repeating the edge ({@code pad < size}). */
    REFLECT("reflect"),
    /** Repeat the edge. */
    REPLICATE("replicate"),
    /** Wrap around ({@code pad <= size}). */
    CIRCULAR("circular");

    private final String torchName;

    PadMode(String torchName) {
        this.torchName = torchName;
    }

    public String torchName() {
        return torchName;
    }

    /** torch's name ({@code "constant"}, ...); anything else fails naming the valid ones. */
    public static PadMode parse(String name) {
        for (PadMode m : values()) if (m.torchName.equals(name)) return m;
        throw new IllegalArgumentException("Unrecognised padding mode '" + name
                + "'; expected one of 'constant', 'reflect', 'replicate', 'circular'");
    }

    /** The coordinate in {@code [0, size)} a padded coordinate {@code pos} copies, or -1 for the constant. */
    public int source(int pos, int size) {
        if (pos >= 0 && pos < size) return pos;
        switch (this) {
            case CONSTANT: return -1;
            case REPLICATE: return pos < 0 ? 0 : size - 1;
            case REFLECT: return pos < 0 ? -pos : 2 * (size - 1) - pos;
            case CIRCULAR: return Math.floorMod(pos, size);
            default: throw new AssertionError(this);
        }
    }

    @Override
    public String toString() {
        return torchName;
    }
}
