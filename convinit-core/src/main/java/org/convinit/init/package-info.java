/**
 * {@code torch.nn.init} with torch 1.13.1's semantics, bits and messages. {@link org.convinit.init.Init}
 * holds the functions and the table mapping every torch name to convinit's, with its formula and what is
 * bit-exact; {@link org.convinit.init.Fans} the fan computation (and its pitfalls for grouped and
 * transposed convolutions); {@link org.convinit.init.InitCall} binds a call written with torch's names
 * and keyword arguments ({@code kaiming_normal_(mode='fan_out', nonlinearity='relu')}).
 *
 * <pre>{@code
 * Generator.manualSeed(0);
 * Tensor w = Tensor.empty(DType.FLOAT32, 64, 3, 7, 7);
 * Init.kaimingNormal(w, 0, FanMode.FAN_OUT, Nonlinearity.RELU, null);   // = torch's bits for seed 0
 * Init.truncNormal(w, 0, 0.02, -2, 2);   // a, b are absolute: ±2 is ±100 std here, i.e. no truncation
 * }</pre>
 */
package org.convinit.init;
