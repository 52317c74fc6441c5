import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.*;

/**
 * Old against new layer code in one JVM: {@link Bench} loaded twice, once over each build's convinit-core classes
 * (two class loaders), its cases run alternately, each reporting the best thread CPU time of 5 calls (robust on a
 * loaded machine) and the bytes the calling thread allocated (boxed vectors show up there). Usage, from the repo:
 * <pre>
 *   git archive BASE | tar -x -C /tmp/base; (cd /tmp/base &amp;&amp; mvn -q -o -pl convinit-core compile)
 *   mvn -q -o -pl convinit-core compile
 *   javac --add-modules jdk.incubator.vector -cp convinit-core/target/classes -d /tmp/ab tools/bench/layer_ab/Bench.java
 *   javac -d /tmp/ab tools/bench/layer_ab/AB.java
 *   java --add-modules jdk.incubator.vector -cp /tmp/ab AB /tmp/base/convinit-core/target/classes \
 *       convinit-core/target/classes /tmp/ab ROUNDS [NAME-FILTER]
 * </pre>
 * Profile pollution: both builds share the JDK's vector classes, so code the old build runs can make the new one's
 * allocation look worse than it is alone (check a case alone before blaming it).
 */
public final class AB {
    public static void main(String[] a) throws Exception {
        Method[][] m = new Method[2][];
        for (int i = 0; i < 2; i++) {
            URLClassLoader l = new URLClassLoader(new URL[] {Path.of(a[i]).toUri().toURL(), Path.of(a[2]).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            Class<?> b = l.loadClass("Bench");
            m[i] = new Method[] {b.getMethod("names"), b.getMethod("run", String.class, int.class)};
        }
        int rounds = Integer.parseInt(a[3]);
        String filter = a.length > 4 ? a[4] : "";
        String[] names = (String[]) m[1][0].invoke(null);
        Map<String, double[][]> res = new LinkedHashMap<>();
        for (String n : names) if (n.contains(filter)) res.put(n, new double[3][rounds]);
        for (int r = -2; r < rounds; r++) {
            for (String n : res.keySet()) {
                double[] o = (double[]) m[0][1].invoke(null, n, 5);
                double[] nw = (double[]) m[1][1].invoke(null, n, 5);
                if (r < 0) continue;
                res.get(n)[0][r] = o[0];
                res.get(n)[1][r] = nw[0];
                res.get(n)[2][r] = nw[0] / o[0];
                if (r == rounds - 1) System.out.printf("%-38s old %8.3f ms (%6.1f MB)  new %8.3f ms (%6.1f MB)  new/old median %.3f%n", n,
                        med(res.get(n)[0]), o[1] / 1e6, med(res.get(n)[1]), nw[1] / 1e6, med(res.get(n)[2]));
            }
        }
    }

    static double med(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
