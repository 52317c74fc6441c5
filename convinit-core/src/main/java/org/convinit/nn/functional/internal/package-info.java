/**
 * The convolution behind {@link org.convinit.nn.functional.F}, the conv layers and
 * {@link org.convinit.nn.functional.ConvKernels}, in three roles; not API.
 *
 * <ul>
 *   <li><b>The spec</b>: {@link org.convinit.nn.functional.internal.ConvParams} checks a call's or a
 *       layer's settings once (stride, padding before/after with 'same' resolved, dilation, groups,
 *       output padding); {@link org.convinit.nn.functional.internal.ConvSpec} binds them to the
 *       input, weight and bias shapes with ATen's messages and gives the output shape. Every
 *       convolution message is written in one of the two.</li>
 *   <li><b>The fast path</b>, which trusts the spec:
 *       {@link org.convinit.nn.functional.internal.ConvAutograd} (the differentiable op),
 *       {@link org.convinit.nn.functional.internal.FastConv} (forward and transposed, dtype dispatch,
 *       the transposed one as a GEMM plus {@code Col2Im}),
 *       {@link org.convinit.nn.functional.internal.FastConvBackward} (input and weight gradients of
 *       every convolution as convolutions on the same kernels);
 *       {@link org.convinit.nn.functional.internal.ConvGeometry}: the polyphase padded input buffer
 *       that turns every convolution into a matrix product over contiguous runs (implicit im2col);
 *       {@code FloatConv} / {@code DoubleConv}: the GEMM drivers and the depthwise loop;
 *       {@code FloatKernel} / {@code DoubleKernel}: the inner loops, Vector API or plain Java, chosen
 *       by {@link org.convinit.nn.functional.internal.Kernels}; {@code BufferCache}: buffer reuse.
 *       The float and double classes are generated at build time from one template each
 *       ({@code src/main/templates}, see {@code XConv.java.template}).</li>
 *   <li><b>The references</b>, read literally from the definitions:
 *       {@link org.convinit.nn.functional.internal.reference}.</li>
 * </ul>
 *
 * Parallel work runs on {@link org.convinit.internal.Parallel}, the one pool ({@code -Dconvinit.threads}).
 */
package org.convinit.nn.functional.internal;
