package org.convinit.init;

/** Which fan Kaiming initialization preserves: {@code 'fan_in'} (forward pass) or {@code 'fan_out'} (backward). */
public enum FanMode {
    FAN_IN("fan_in"),
    FAN_OUT("fan_out");

    private final String torchName;

    FanMode(String torchName) {
        this.torchName = torchName;
    }

    public String torchName() {
        return torchName;
    }

    /** Parses {@code 'fan_in'} or {@code 'fan_out'}, ignoring case as torch's {@code mode.lower()} does. */
    public static FanMode parse(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        for (FanMode m : values()) if (m.torchName.equals(lower)) return m;
        throw new IllegalArgumentException("Mode " + name + " not supported, please use one of ['fan_in', 'fan_out']");
    }

    @Override
    public String toString() {
        return torchName;
    }
}
