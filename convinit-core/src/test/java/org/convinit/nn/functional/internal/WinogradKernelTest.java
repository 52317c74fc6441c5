package org.convinit.nn.functional.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The Winograd transforms' room after a run ({@code runPad}) covers their last vector at any species width. */
class WinogradKernelTest {
    @Test
    void vectorTransformsLeaveRoomForAVectorLessOne() {
        assertThat(Kernels.winograd(Kernels.floats(false)).runPad()).as("scalar float").isZero();
        assertThat(Kernels.winograd(Kernels.doubles(false)).runPad()).as("scalar double").isZero();
        assumeTrue(Kernels.VECTOR_AVAILABLE);
        assertThat(Kernels.winograd(Kernels.floats(true)).runPad()).as("vector float")
                .isGreaterThanOrEqualTo(FloatVector.SPECIES_PREFERRED.length() - 1);
        assertThat(Kernels.winograd(Kernels.doubles(true)).runPad()).as("vector double")
                .isGreaterThanOrEqualTo(DoubleVector.SPECIES_PREFERRED.length() - 1);
    }
}
