package org.convinit.init;

import java.util.Locale;

/** The nonlinearities {@code torch.nn.init.calculate_gain} knows, by their torch names. */
public enum Nonlinearity {
    LINEAR,
    CONV1D,
    CONV2D,
    CONV3D,
    CONV_TRANSPOSE1D,
    CONV_TRANSPOSE2D,
    CONV_TRANSPOSE3D,
    SIGMOID,
    TANH,
    RELU,
    LEAKY_RELU,
    SELU;

    /** The torch name: the constant's name in lower case ({@code leaky_relu}). */
    public String torchName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a torch name such as {@code "leaky_relu"}. */
    public static Nonlinearity parse(String name) {
        for (Nonlinearity n : values()) if (n.torchName().equals(name)) return n;
        throw new IllegalArgumentException("Unsupported nonlinearity " + name);
    }

    @Override
    public String toString() {
        return torchName();
    }
}
