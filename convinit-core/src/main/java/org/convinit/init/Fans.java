package org.convinit.init;

import org.convinit.tensor.Shape;

/**
 * {@code torch.nn.init._calculate_fan_in_and_fan_out}: for a weight of shape {@code [a, b, *k]},
 * {@code fan_in = b * prod(k)} and {@code fan_out = a * prod(k)}.
 *
 * <p>Pitfalls, as torch computes them (convinit does the same, on purpose):
 * <ul>
 *   <li>Grouped convolutions: the weight is {@code [out, in/groups, *k]}, so fan_in is
 *       {@code (in/groups) * prod(k)} (the true fan-in of one output), but fan_out is
 *       {@code out * prod(k)}, not {@code (out/groups) * prod(k)}.</li>
 *   <li>Transposed convolutions: the weight is {@code [in, out/groups, *k]}, so torch's "fan_in" is
 *       {@code (out/groups) * prod(k)} and "fan_out" is {@code in * prod(k)}: the names are swapped
 *       relative to the data flow.</li>
 * </ul>
 */
public record Fans(long fanIn, long fanOut) {

    /** The fans of a weight of this shape; fewer than 2 dims is an error, as in torch. */
    public static Fans of(Shape shape) {
        if (shape.rank() < 2) {
            throw new IllegalArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 "
                    + "dimensions (got shape " + shape + ")");
        }
        long receptive = 1;
        for (int d = 2; d < shape.rank(); d++) receptive *= shape.get(d);
        return new Fans(shape.get(1) * receptive, shape.get(0) * receptive);
    }

    /** The fan that {@code mode} selects. */
    public long get(FanMode mode) {
        return mode == FanMode.FAN_IN ? fanIn : fanOut;
    }
}
