package org.convinit.init;

/**
 * The Q of a reduced QR factorisation by Householder reflections (LAPACK {@code geqr2}/{@code org2r}
 * order), in double, with torch's sign fix: column j of Q is multiplied by {@code sign(R[j][j])}, so the
 * result is the unique Q whose R has a non-negative diagonal. {@code orthogonal_} uses it; torch gets the
 * same matrix from LAPACK in float32, so the two agree to rounding (see {@link Init#orthogonal}).
 */
final class Householder {
    private Householder() {}

    /** Q (m×n, m &ge; n) of {@code a} (m×n, row-major, overwritten), times {@code sign(diag(R))}. */
    static double[][] q(double[][] a) {
        int m = a.length;
        int n = a[0].length;
        double[] tau = new double[n];
        double[] diag = new double[n];
        for (int j = 0; j < n; j++) {
            double alpha = a[j][j];
            double xnorm = 0;
            for (int i = j + 1; i < m; i++) xnorm = Math.hypot(xnorm, a[i][j]);
            if (xnorm == 0) {
                tau[j] = 0;
                diag[j] = alpha;
                continue;
            }
            double beta = -Math.copySign(Math.hypot(alpha, xnorm), alpha);
            tau[j] = (beta - alpha) / beta;
            double scale = 1.0 / (alpha - beta);
            for (int i = j + 1; i < m; i++) a[i][j] *= scale;
            a[j][j] = beta;
            diag[j] = beta;
            // apply H = I - tau v v^T (v = [1, a[j+1.., j]]) to the trailing columns
            for (int k = j + 1; k < n; k++) {
                double dot = a[j][k];
                for (int i = j + 1; i < m; i++) dot += a[i][j] * a[i][k];
                dot *= tau[j];
                a[j][k] -= dot;
                for (int i = j + 1; i < m; i++) a[i][k] -= dot * a[i][j];
            }
        }
        // Q = H_0 H_1 ... H_{n-1} applied to the first n columns of the identity, accumulated backwards
        double[][] q = new double[m][n];
        for (int j = 0; j < n; j++) q[j][j] = 1;
        for (int j = n - 1; j >= 0; j--) {
            if (tau[j] == 0) continue;
            for (int k = j; k < n; k++) {
                double dot = q[j][k];
                for (int i = j + 1; i < m; i++) dot += a[i][j] * q[i][k];
                dot *= tau[j];
                q[j][k] -= dot;
                for (int i = j + 1; i < m; i++) q[i][k] -= dot * a[i][j];
            }
        }
        for (int j = 0; j < n; j++) {
            double s = Math.signum(diag[j]);
            for (int i = 0; i < m; i++) q[i][j] *= s;
        }
        return q;
    }
}
