package org.convinit.init;

import java.util.Locale;

/** Which fan Kaiming initialization preserves: {@code 'fan_in'} (forward pass) or {@code 'fan_out'} (backward). */
public enum FanMode {
    FAN_IN,
    FAN_OUT;

    /** The torch name: the constant's name in lower case ({@code fan_in}). */
    public String torchName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code 'fan_in'} or {@code 'fan_out'}, ignoring case as torch's {@code mode.lower()} does. */
    public static FanMode parse(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (FanMode m : values()) if (m.torchName().equals(lower)) return m;
        throw new IllegalArgumentException("Mode " + name + " not supported, please use one of ['fan_in', 'fan_out']");
    }

    @Override
    public String toString() {
        return torchName();
    }
}
