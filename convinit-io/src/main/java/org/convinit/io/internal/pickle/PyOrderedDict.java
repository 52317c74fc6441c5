package org.convinit.io.internal.pickle;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An unpickled {@code collections.OrderedDict} with the attribute state its BUILD opcode set: a state dict
 * saved by {@code torch.save(module.state_dict())} carries {@code _metadata} (each module's prefix to
 * {@code {"version": n}}) there.
 */
public final class PyOrderedDict extends LinkedHashMap<Object, Object> {
    private static final long serialVersionUID = 1L;

    private transient Map<?, ?> attributes = Map.of();

    /** The attributes set by BUILD ({@code __dict__}), empty when none. */
    public Map<?, ?> attributes() {
        return attributes;
    }

    void attributes(Map<?, ?> state) {
        attributes = state;
    }
}
