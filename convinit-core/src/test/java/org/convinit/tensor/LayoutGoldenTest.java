package org.convinit.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.convinit.testing.Golden;
import org.junit.jupiter.api.Test;

/**
 * Every view op of {@link Layout} against torch 1.13.1 on a table of start layouts
 * ({@code tools/golden/gen_layout.py}): the same size, stride, storage offset and contiguity, or an
 * error exactly where torch raises.
 */
class LayoutGoldenTest {

    static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asInt();
        return out;
    }

    static Layout layout(JsonNode l) {
        return Layout.of(Shape.of(ints(l.get("size"))), ints(l.get("stride")), l.get("offset").asInt());
    }

    static Layout apply(Layout l, String op, JsonNode a) {
        switch (op) {
            case "view": return l.view(ints(a.get(0)));
            case "reshape": return l.tryView(ints(a.get(0))).orElse(null);
            case "permute": return l.permute(ints(a.get(0)));
            case "transpose": return l.transpose(a.get(0).asInt(), a.get(1).asInt());
            case "t": return l.t();
            case "select": return l.select(a.get(0).asInt(), a.get(1).asInt());
            case "narrow": return l.narrow(a.get(0).asInt(), a.get(1).asInt(), a.get(2).asInt());
            case "slice": return l.slice(a.get(0).asInt(), a.get(1).asInt(), a.get(2).asInt(), a.get(3).asInt());
            case "squeeze": return l.squeeze();
            case "squeeze_dim": return l.squeeze(a.get(0).asInt());
            case "unsqueeze": return l.unsqueeze(a.get(0).asInt());
            case "expand": return l.expand(ints(a.get(0)));
            default: throw new AssertionError(op);
        }
    }

    /**
     * Errors convinit words its own way, naming the values (torch's message start, ours). Every other
     * error message contains torch's (ours may add the shape).
     */
    private static final Map<String, String> OWN_WORDING = Map.of(
            "permute(sparse_coo): number of dimensions", "permute([",
            "permute(): duplicate dims are not allowed.", "permute([",
            "select(): index ", "index ",
            "start (", "narrow(dim=",
            "view size is not compatible", "view size [",
            "expand(torch.FloatTensor", "expand: the number of sizes provided",
            "numel: integer multiplication overflow", "The expanded size of the tensor (-1) isn't allowed"); // torch's 0-dim quirk

    static boolean sameError(String torch, String ours) {
        for (Map.Entry<String, String> e : OWN_WORDING.entrySet()) {
            if (torch.startsWith(e.getKey())) return ours.startsWith(e.getValue());
        }
        return ours.contains(torch);
    }

    @Test
    void viewOpsMatchTorch() {
        JsonNode cases = Golden.load("layout.json").get("cases");
        assertThat(cases.size()).isGreaterThan(500);
        List<String> diffs = new ArrayList<>();
        for (JsonNode c : cases) {
            Layout from = layout(c.get("from"));
            String op = c.get("op").asText();
            String what = from + "." + op + c.get("args");
            if (from.isContiguous() != c.get("from").get("contiguous").asBoolean()) diffs.add(what + ": start contiguity");
            if (c.has("error")) {
                try {
                    Layout got = apply(from, op, c.get("args"));
                    diffs.add(what + ": torch raised '" + c.get("error").get("message").asText() + "' but got " + got);
                } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                    String torch = c.get("error").get("message").asText();
                    if (!sameError(torch, e.getMessage())) diffs.add(what + ": torch raised '" + torch + "' but we '" + e.getMessage() + "'");
                }
                continue;
            }
            Layout got;
            try {
                got = apply(from, op, c.get("args"));
            } catch (RuntimeException e) {
                diffs.add(what + ": torch gave " + c.get("to") + " but threw " + e);
                continue;
            }
            JsonNode to = c.get("to");
            if (c.has("copied")) {
                if ((got == null) != c.get("copied").asBoolean()) diffs.add(what + ": copied " + (got == null));
                if (got == null) continue;
            }
            Layout want = Layout.of(Shape.of(ints(to.get("size"))), ints(to.get("stride")), to.get("offset").asInt());
            if (!got.equals(want)) diffs.add(what + ": expected " + want + ", got " + got);
            if (got.isContiguous() != to.get("contiguous").asBoolean()) diffs.add(what + ": contiguity " + got.isContiguous());
        }
        diffs.forEach(System.out::println);
        assertThat(diffs).isEmpty();
    }
}
