package org.convinit.nn;

/**
 * A layer with a {@code weight} and an optional {@code bias} that fan-based initializers target:
 * every convolution and {@code Linear}. {@code --init FN} re-initializes exactly these, in module order.
 */
public interface WeightLayer {
    Parameter weight();

    /** The bias, or null when the layer has none. */
    Parameter bias();
}
