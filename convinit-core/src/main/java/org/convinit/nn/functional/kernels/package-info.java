/**
 * The float32 non-convolution layers on the tensors' own storage, forward and backward: batch norm
 * ({@link org.convinit.nn.functional.kernels.FastBatchNorm}), elementwise activations and dropout
 * ({@link org.convinit.nn.functional.kernels.FastActivations}), max/average/adaptive pooling
 * ({@link org.convinit.nn.functional.kernels.FastPooling}), linear
 * ({@link org.convinit.nn.functional.kernels.FastLinear}) and the fused cross entropy
 * ({@link org.convinit.nn.functional.kernels.FusedCrossEntropy}).
 *
 * <p>Internal: {@code F}, {@code Losses} and the layers call these after checking arguments. The inner
 * loops are {@link org.convinit.nn.functional.kernels.FloatLayerKernel} (scalar) and its Vector API
 * override, chosen by {@link org.convinit.nn.functional.kernels.LayerKernels}; the reference for each
 * is the double loop in {@code nn.functional} that float64 runs, compared in {@code FastLayersTest}
 * and {@code LayerKernelsTest}.
 */
package org.convinit.nn.functional.kernels;
