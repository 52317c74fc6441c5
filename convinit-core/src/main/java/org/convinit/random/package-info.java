/**
 * PyTorch's CPU random number generator and sampling kernels, bit for bit as torch 1.13.1 runs them on
 * x86-64: {@link org.convinit.random.Generator} (MT19937, seeding, raw draws, the cached normal
 * sample, {@code randperm}, {@code get_state}/{@code set_state} in torch's 5056-byte layout),
 * {@link org.convinit.random.NormalKernels} (the {@code normal_} fill kernels) and
 * {@link org.convinit.random.Libm} (glibc's {@code expf}, {@code logf}, {@code erff} and {@code erf},
 * whose exact bits torch's results depend on).
 */
package org.convinit.random;
