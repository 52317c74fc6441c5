/**
 * The fast convolution kernels behind {@link org.convinit.nn.functional.ConvKernels}; not API.
 *
 * <ul>
 *   <li>{@link org.convinit.nn.functional.internal.ConvGeometry}: the polyphase padded input buffer
 *       that turns every convolution (any stride, dilation, padding, 1-3 spatial dims) into a matrix
 *       product whose right operand rows are contiguous runs of that buffer (implicit im2col).</li>
 *   <li>{@link org.convinit.nn.functional.internal.FloatConv} / {@code DoubleConv}: the GEMM drivers
 *       (weights packed in row panels, reduction blocked, tiles stored into a wide block and
 *       compacted, or straight into the output), the channel-wise (depthwise) loop, threading.</li>
 *   <li>{@link org.convinit.nn.functional.internal.FloatKernel} / {@code DoubleKernel}: the inner
 *       loops, Vector API ({@code Vector*Kernel}) or plain Java ({@code Scalar*Kernel}), chosen once
 *       by {@link org.convinit.nn.functional.internal.Kernels}. These four pairs are generated at
 *       build time from one template each ({@code src/main/templates}, see {@code XConv.java.template}).</li>
 *   <li>{@link org.convinit.nn.functional.internal.ConvOps}: tensor-level entry points, including
 *       the transposed convolution as a GEMM plus {@code Col2Im}, checked against
 *       {@link org.convinit.nn.functional.internal.ReferenceConvTranspose}.</li>
 *   <li>{@link org.convinit.internal.Parallel}: the shared pool
 *       ({@code -Dconvinit.threads}), {@code BufferCache}: reuse of the padded input buffer.</li>
 * </ul>
 */
package org.convinit.nn.functional.internal;
