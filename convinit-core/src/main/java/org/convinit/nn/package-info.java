/**
 * Layers with PyTorch's semantics: the same constructor arguments, weight layouts, default
 * initialization (bit for bit after {@code Generator.manualSeed(s)}), state-dict keys, printing and
 * forward numerics and gradients (checked against torch 1.13.1 and its autograd).
 *
 * <table>
 *   <caption>convinit classes and their torch names</caption>
 *   <tr><th>convinit</th><th>torch.nn</th><th>weight / buffers</th></tr>
 *   <tr><td>{@link org.convinit.nn.Conv1d}, {@link org.convinit.nn.Conv2d}, {@link org.convinit.nn.Conv3d}</td>
 *       <td>{@code Conv1d/2d/3d}</td><td>{@code weight [out, in/groups, *k]}, {@code bias [out]}</td></tr>
 *   <tr><td>{@link org.convinit.nn.ConvTranspose1d}, {@link org.convinit.nn.ConvTranspose2d},
 *       {@link org.convinit.nn.ConvTranspose3d}</td>
 *       <td>{@code ConvTranspose1d/2d/3d}</td><td>{@code weight [in, out/groups, *k]}, {@code bias [out]}</td></tr>
 *   <tr><td>{@link org.convinit.nn.ConvOptions}</td><td>the keyword arguments {@code stride, padding, dilation, groups,
 *       bias, padding_mode, output_padding}</td><td></td></tr>
 *   <tr><td>{@link org.convinit.nn.Linear}</td><td>{@code Linear}</td><td>{@code weight [out, in]}, {@code bias [out]}</td></tr>
 *   <tr><td>{@link org.convinit.nn.BatchNorm1d}, {@link org.convinit.nn.BatchNorm2d}, {@link org.convinit.nn.BatchNorm3d}</td>
 *       <td>{@code BatchNorm1d/2d/3d}</td><td>{@code weight, bias, running_mean, running_var, num_batches_tracked}</td></tr>
 *   <tr><td>{@link org.convinit.nn.MaxPool1d} ... {@link org.convinit.nn.AvgPool3d}, {@link org.convinit.nn.PoolOptions}</td>
 *       <td>{@code MaxPool1d/2d/3d, AvgPool1d/2d/3d}</td><td></td></tr>
 *   <tr><td>{@link org.convinit.nn.AdaptiveAvgPool2d}</td><td>{@code AdaptiveAvgPool2d}</td><td></td></tr>
 *   <tr><td>{@link org.convinit.nn.ReLU}, {@link org.convinit.nn.LeakyReLU}, {@link org.convinit.nn.Tanh},
 *       {@link org.convinit.nn.Sigmoid}, {@link org.convinit.nn.GELU}</td>
 *       <td>{@code ReLU, LeakyReLU, Tanh, Sigmoid, GELU}</td><td></td></tr>
 *   <tr><td>{@link org.convinit.nn.Flatten}, {@link org.convinit.nn.Dropout}, {@link org.convinit.nn.Identity},
 *       {@link org.convinit.nn.Sequential}</td><td>{@code Flatten, Dropout, Identity, Sequential}</td><td></td></tr>
 * </table>
 *
 * <p>The functions behind the layers are in {@link org.convinit.nn.functional.F} ({@code torch.nn.functional}).
 *
 * <pre>{@code
 * Generator.manualSeed(0);
 * Module net = new Sequential(
 *         new Conv2d(3, 16, 3, ConvOptions.DEFAULT.padding(1)), new BatchNorm2d(16), new ReLU(),
 *         new MaxPool2d(2), new Flatten(), new Linear(16 * 16 * 16, 10));
 * Tensor y = net.eval().forward(x);    // x: [N, 3, 32, 32] -> y: [N, 10]
 * }</pre>
 */
package org.convinit.nn;
