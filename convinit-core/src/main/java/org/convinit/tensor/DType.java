package org.convinit.tensor;

/**
 * Element types, named as in PyTorch. Float32 and float64 are compute types; the others are storage
 * types that tensors loaded from checkpoints keep until converted.
 */
public enum DType {
    FLOAT32("float32", 4, true),
    FLOAT64("float64", 8, true),
    FLOAT16("float16", 2, true),
    BFLOAT16("bfloat16", 2, true),
    INT8("int8", 1, false),
    UINT8("uint8", 1, false),
    INT16("int16", 2, false),
    INT32("int32", 4, false),
    INT64("int64", 8, false),
    BOOL("bool", 1, false);

    private final String torchName;
    private final int itemSize;
    private final boolean floatingPoint;

    DType(String torchName, int itemSize, boolean floatingPoint) {
        this.torchName = torchName;
        this.itemSize = itemSize;
        this.floatingPoint = floatingPoint;
    }

    /** The name after {@code torch.}, e.g. {@code float32}. */
    public String torchName() {
        return torchName;
    }

    /** Bytes per element. */
    public int itemSize() {
        return itemSize;
    }

    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /** True for the dtypes arithmetic runs in: float32 and float64. */
    public boolean isCompute() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /**
     * Parses a dtype name as torch spells it, with or without the {@code torch.} prefix, including
     * torch's aliases ({@code float}, {@code double}, {@code half}, {@code long}, {@code int}, ...).
     */
    public static DType parse(String name) {
        String n = name.startsWith("torch.") ? name.substring(6) : name;
        switch (n) {
            case "float32": case "float": return FLOAT32;
            case "float64": case "double": return FLOAT64;
            case "float16": case "half": return FLOAT16;
            case "bfloat16": return BFLOAT16;
            case "int8": return INT8;
            case "uint8": return UINT8;
            case "int16": case "short": return INT16;
            case "int32": case "int": return INT32;
            case "int64": case "long": return INT64;
            case "bool": return BOOL;
            default:
                throw new IllegalArgumentException("dtype '" + name + "' is not known; expected one of "
                        + "float32, float64, float16, bfloat16, int8, uint8, int16, int32, int64, bool");
        }
    }

    /** The dtype torch picks for a binary arithmetic op between two tensors (type promotion). */
    public static DType promote(DType a, DType b) {
        if (a == b) return a;
        if (a == FLOAT64 || b == FLOAT64) return FLOAT64;
        if (a.floatingPoint && b.floatingPoint) return FLOAT32; // half vs bfloat16 promotes to float32
        if (a.floatingPoint) return a;
        if (b.floatingPoint) return b;
        if (a == BOOL) return b;
        if (b == BOOL) return a;
        if ((a == UINT8 && b == INT8) || (a == INT8 && b == UINT8)) return INT16;
        return a.itemSize >= b.itemSize ? a : b;
    }

    @Override
    public String toString() {
        return "torch." + torchName;
    }
}
