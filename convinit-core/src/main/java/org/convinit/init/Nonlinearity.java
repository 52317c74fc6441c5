package org.convinit.init;

/** The nonlinearities {@code torch.nn.init.calculate_gain} knows, by their torch names. */
public enum Nonlinearity {
    LINEAR("linear"),
    CONV1D("conv1d"),
    CONV2D("conv2d"),
    CONV3D("conv3d"),
    CONV_TRANSPOSE1D("conv_transpose1d"),
    CONV_TRANSPOSE2D("conv_transpose2d"),
    CONV_TRANSPOSE3D("conv_transpose3d"),
    SIGMOID("sigmoid"),
    TANH("tanh"),
    RELU("relu"),
    LEAKY_RELU("leaky_relu"),
    SELU("selu");

    private final String torchName;

    Nonlinearity(String torchName) {
        this.torchName = torchName;
    }

    public String torchName() {
        return torchName;
    }

    /** Parses a torch name such as {@code "leaky_relu"}. */
    public static Nonlinearity parse(String name) {
        for (Nonlinearity n : values()) if (n.torchName.equals(name)) return n;
        throw new IllegalArgumentException("Unsupported nonlinearity " + name);
    }

    @Override
    public String toString() {
        return torchName;
    }
}
