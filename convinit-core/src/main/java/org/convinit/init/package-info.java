/**
 * {@code torch.nn.init} with torch 1.13.1's semantics, bits and messages. {@link org.convinit.init.Init}
 * holds the functions and the table mapping every torch name to convinit's, with its formula and what is
 * bit-exact; {@link org.convinit.init.Fans} the fan computation (and its pitfalls for grouped and
 * transposed convolutions); {@link org.convinit.init.InitCall} binds a call written with torch's names
 * and keyword arguments ({@code kaiming_normal_(mode='fan_out', nonlinearity='relu')}).
 *
 * <p>Beyond torch.nn.init (each class documents formula, paper and pitfalls):
 * <table>
 *   <caption>Schemes beyond torch.nn.init</caption>
 *   <tr><th>name (InitCall / --init)</th><th>Java</th><th>what</th></tr>
 *   <tr><td>variance_scaling_, lecun_normal_, lecun_uniform_, glorot_normal_, glorot_uniform_, he_normal_, he_uniform_</td>
 *       <td>{@link org.convinit.init.VarianceScaling}</td><td>JAX/Keras variance scaling and its presets (bits = timm's on torch's RNG)</td></tr>
 *   <tr><td>trunc_normal_tf_</td><td>{@link org.convinit.init.VarianceScaling#truncNormalTf}</td><td>timm's: cut N(0,1) at [a, b], then scale and shift</td></tr>
 *   <tr><td>delta_orthogonal_, zero_init_, icnr_</td><td>{@link org.convinit.init.StructuredInit}</td>
 *       <td>Xiao et al. 2018; ZerO (Zhao et al. 2021); ICNR (Aitken et al. 2017)</td></tr>
 *   <tr><td>gabor_, dct_</td><td>{@link org.convinit.init.FilterBanks}</td><td>fixed first-layer filter banks</td></tr>
 *   <tr><td>fixup_</td><td>{@link org.convinit.init.Residual}</td><td>Fixup's scaled He init (Zhang et al. 2019)</td></tr>
 *   <tr><td>lsuv_</td><td>{@code org.convinit.nn.init.Lsuv}</td><td>LSUV (Mishkin &amp; Matas 2016), on a model and a batch</td></tr>
 *   <tr><td>normal, uniform, xavier_uniform, ... (torch 1.13's deprecated aliases)</td><td>{@link org.convinit.init.InitCall}</td>
 *       <td>the underscore function, with torch's deprecation warning</td></tr>
 * </table>
 *
 * <pre>{@code
 * Generator.manualSeed(0);
 * Tensor w = Tensor.empty(DType.FLOAT32, 64, 3, 7, 7);
 * Init.kaimingNormal(w, 0, FanMode.FAN_OUT, Nonlinearity.RELU, null);   // = torch's bits for seed 0
 * Init.truncNormal(w, 0, 0.02, -2, 2);   // a, b are absolute: ±2 is ±100 std here, i.e. no truncation
 * }</pre>
 */
package org.convinit.init;
