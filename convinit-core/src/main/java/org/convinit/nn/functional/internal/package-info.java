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
 * <h2>Winograd F(2×2, 3×3)</h2>
 * {@link org.convinit.nn.functional.internal.FastConv#usesWinograd} sends 2-d convolutions with a 3 × 3 kernel,
 * stride 1, dilation 1, one group, not transposed, at least 32 input and output channels and 64 on one side (with
 * fewer than 64 outputs, an output at least 28 wide or narrow as below), to
 * {@code FloatWinograd} / {@code DoubleWinograd} (template {@code XWinograd.java.template}) instead of the direct
 * GEMM: 2 × 2 output tiles from 4 × 4 input patches, {@code Y = Aᵀ[Σ_c (G g Gᵀ) ⊙ (Bᵀ d B)]A}, the channel sums as
 * 16 batched GEMMs on the same register tile ({@code gemmTile}, Vector API or scalar), padding read as zeros at the
 * tile borders, scratch kept between calls ({@code ScratchPool}, {@code BufferCache}). The stride-1 input gradient is
 * that same convolution of dY (flipped, channel-swapped weight, full padding), so it takes Winograd too; so does the
 * weight gradient ({@code FloatWinogradGrad}: {@code dg = Gᵀ[Σ_tiles (A dY Aᵀ) ⊙ (Bᵀ d B)]G}, the 16 products along the
 * tiles on the weight-gradient register tile; measured with the narrow transforms below, 1 thread, CPU time, both orders,
 * against main bdeaafc: dX + dW N32 32→64 14×14 1.14-1.22x, N8 256→256 14×14 1.15-1.33x, N8 64→64 56×56 1.07-1.09x).
 * Below 32 channels on a side, or 64 on neither, the transforms cost more than the 36 → 16 products save.
 * <ul>
 *   <li>Error: not bit-identical to the GEMM path (the transforms add and subtract before the products); against
 *       the literal reference within 1e-5 of the output's scale in float32, 1e-12 in float64 ({@code WinogradTest});
 *       the same bits at every thread count (a GEMM column is one tile, reduced over the channels in order).</li>
 *   <li>The input and output transforms run a vector of horizontally consecutive tiles at a time
 *       ({@code VectorFloatWinogradKernel}, template {@code VectorXWinogradKernel.java.template}; the scalar loops are
 *       {@code FloatWinogradKernel}'s defaults): the input rows a block needs of one image and channel are dealt to
 *       their even and odd columns first, each row once (plain Java; a row serves two tile rows), so that every transform
 *       operand is a contiguous load, with no shuffle, blend or mask (which JDK 17 boxes on AVX2). A vector dealing (float
 *       pairs read as longs, narrowed) was 3x faster alone but no faster in the convolution, and its half-width float
 *       vectors, like any second float shape in the JVM, pollute the shared Vector API profiles (measured 10x slower
 *       kernels with a 256-bit and a 512-bit shape in one JVM).</li>
 *   <li>Narrow maps on 512-bit vectors (a padded input row in one vector: up to 7 tiles a row in float32, e.g. 14×14,
 *       whose 7-tile rows half-filled the vectors above): each input row times {@code B} by shuffles of one load into
 *       planes of even and odd rows, so that an image's tiles follow each other and {@code Bᵀ} runs over all of them in
 *       full vectors; output rows interleaved by a shuffle and a blend and stored a vector wide where the overhang
 *       lands in a row the block writes after it. Measured (1 thread, CPU time, both orders, AVX-512, 2026-12-02):
 *       forward N32 32→64 14×14 1.35-1.38x, N8 256→256 14×14 1.12-1.13x.</li>
 *   <li>Measured (1 thread, {@code tools/bench/ConvAB.java}, thread CPU time, against the direct GEMM path, AMD EPYC
 *       AVX2, 2 cores shared, load 7-11, geometric mean of both orders, 2026-12-02): forward N32 32→64 14×14 1.37x,
 *       N8 64→64 56×56 2.1x, N8 256→256 14×14 2.6x; dX + dW (the weight gradient on the direct path in both) 0.97x,
 *       1.10x, 1.14x, the two orders 15-25% apart. The vector transforms against the scalar ones: forward 1.05x,
 *       1.12x, 1.035x (the 16 GEMMs are most of the time: 41% of samples at 32→64, the transforms 35%, half of that the
 *       plain-Java dealing and interleaving).</li>
 * </ul>
 *
 * <h2>Short reductions (a network's first layer)</h2>
 * The weight gradient of a stride-1 convolution with one or two spatial dims and fewer than 32 products per output
 * ({@code C/groups · kernel volume}, e.g. 1 → 32, 3 × 3) and {@code C · kernel width ≤ O} copies each image to
 * {@link org.convinit.nn.functional.internal.ShiftedPlanes} (one zero-padded plane per channel and kernel column, so
 * every tap's run lines up with the dense output positions) and reads dY in place: no wide copy of dY, no wasted
 * columns. Measured (1 thread, thread CPU time, A/B in one JVM, both orders, load 9): dW N32 1 → 32 28² 1.29-1.36x,
 * 3 → 16 32² (27 products) 1.03-1.05x; without the width condition a 32-group 64 → 64 28² measured 0.85x (the
 * extra input copies outweigh the dY copy saved), so it stays on the wide path. The forward stays on the row-aligned GEMM ({@code gemmRows}): on that layout it
 * measured 0.92-0.99x of it (the extra input copies cost what the 12.5% unused lanes of a 28-wide row save).
 *
 * Parallel work runs on {@link org.convinit.internal.Parallel}, the one pool ({@code -Dconvinit.threads}).
 */
package org.convinit.nn.functional.internal;
