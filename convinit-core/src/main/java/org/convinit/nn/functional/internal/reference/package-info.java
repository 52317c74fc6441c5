/**
 * The convolutions read literally from their definitions, in double, for any number of spatial
 * dims: the oracles every fast-path test compares against, and the fallback for other dtypes and
 * empty tensors. Not API.
 *
 * <ul>
 *   <li>{@link org.convinit.nn.functional.internal.reference.ReferenceConv}: direct forward
 *       convolution through a gather table (zero, reflect, replicate or circular padding);</li>
 *   <li>{@link org.convinit.nn.functional.internal.reference.ReferenceConvTranspose}: the
 *       transposed convolution as a scatter of every input element;</li>
 *   <li>{@link org.convinit.nn.functional.internal.reference.ReferenceConvBackward}: the gradients
 *       in gather form, read from the same table as the forward.</li>
 * </ul>
 */
package org.convinit.nn.functional.internal.reference;
