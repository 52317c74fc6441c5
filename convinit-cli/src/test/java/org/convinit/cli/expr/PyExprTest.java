package org.convinit.cli.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PyExprTest {

    @Test
    void parsesCallsWithLiteralsAndRoundTripsThem() {
        String[] texts = {
            "Conv2d(3, 16, 3, padding=1)",
            "Sequential(Conv2d(3, 16, 3, stride=2, bias=False), BatchNorm2d(16), ReLU(), Conv2d(16, 8, (1, 3), groups=2))",
            "kaiming_normal_(mode='fan_out', nonlinearity='relu')",
            "uniform_(a=-0.1, b=0.1)",
            "f([1, 2], (3,), (), None, True, -2.5e-3)",
        };
        for (String t : texts) assertThat(PyExpr.parse(t).toString()).isEqualTo(t);
        assertThat(PyExpr.parse("zeros_")).isEqualTo(new PyExpr.Call("zeros_", java.util.List.of(), java.util.Map.of(), false));
        PyExpr.Call c = (PyExpr.Call) PyExpr.parse("Conv2d(3 , 16,(1,3), padding = \"same\")");
        assertThat(c.args()).hasSize(3);
        assertThat(c.args().get(2)).isEqualTo(new PyExpr.Seq(java.util.List.of(new PyExpr.Int(1), new PyExpr.Int(3)), false));
        assertThat(c.kwargs().get("padding")).isEqualTo(new PyExpr.Str("same"));
        assertThat(PyExpr.parse("(5)")).isEqualTo(new PyExpr.Int(5));
    }

    @Test
    void literalArithmeticIsEvaluatedAsPython() {
        assertThat(PyExpr.parse("Linear(32*7*7, 10)").toString()).isEqualTo("Linear(1568, 10)");
        assertThat(((PyExpr.Int) PyExpr.parse("2 + 3 * 4 - 6 // 4")).value()).isEqualTo(13);
        assertThat(((PyExpr.Int) PyExpr.parse("-7 // 2")).value()).isEqualTo(-4);   // floor, as Python
        assertThat(((PyExpr.Int) PyExpr.parse("-7 % 3")).value()).isEqualTo(2);
        assertThat(((PyExpr.Int) PyExpr.parse("2 ** 3 ** 2")).value()).isEqualTo(512); // right-associative
        assertThat(((PyExpr.Int) PyExpr.parse("-2 ** 2")).value()).isEqualTo(-4);     // ** binds tighter than unary -
        assertThat(((PyExpr.Int) PyExpr.parse("(1 + 2) * 3")).value()).isEqualTo(9);
        assertThat(((PyExpr.Float) PyExpr.parse("1 / 4")).value()).isEqualTo(0.25);     // / is true division
        assertThat(((PyExpr.Float) PyExpr.parse("2 ** -1")).value()).isEqualTo(0.5);
        assertThat(((PyExpr.Float) PyExpr.parse("7.5 // 2")).value()).isEqualTo(3.0);
        assertThat(((PyExpr.Float) PyExpr.parse("-1e-5")).value()).isEqualTo(-1e-5);
        assertThat(((PyExpr.Int) PyExpr.parse("- 3")).value()).isEqualTo(-3);
        assertThat(((PyExpr.Int) PyExpr.parse("(-1) ** 1000000000000")).value()).isEqualTo(1);
        assertThat(PyExpr.parse("uniform_(a=-0.1, b=1/10)").toString()).isEqualTo("uniform_(a=-0.1, b=1/10)");
        assertThatThrownBy(() -> PyExpr.parse("1 / 0")).hasMessageContaining("division by zero");
        assertThatThrownBy(() -> PyExpr.parse("5 // 0")).hasMessageContaining("integer division or modulo by zero");
        assertThatThrownBy(() -> PyExpr.parse("2 ** 64")).hasMessageContaining("'2 ** 64'");
        assertThatThrownBy(() -> PyExpr.parse("'a' * 2")).hasMessageContaining("'*' needs numbers on both sides");
    }

    @Test
    void errorsNameTheColumn() {
        assertThatThrownBy(() -> PyExpr.parse("Conv2d(3, 16")).hasMessage("cannot parse 'Conv2d(3, 16' at column 13: expected ')' but the text ended");
        assertThatThrownBy(() -> PyExpr.parse("Conv2d(a=1, 2)")).hasMessageContaining("positional argument follows keyword argument");
        assertThatThrownBy(() -> PyExpr.parse("Conv2d(a=1, a=2)")).hasMessageContaining("keyword argument repeated: a");
        assertThatThrownBy(() -> PyExpr.parse("Conv2d(3) x")).hasMessageContaining("unexpected 'x'");
        assertThatThrownBy(() -> PyExpr.parse("'abc")).hasMessageContaining("unterminated string");
        assertThatThrownBy(() -> PyExpr.parse("(".repeat(100) + "1" + ")".repeat(100))).hasMessageContaining("nesting deeper than 64");
    }

    @Test
    void longSignAndPowerChainsAreRefusedNotAStackOverflow() {
        // were StackOverflowError (unary() recursed without the depth limit; ParserFuzzTestInputs/model/sign_chain is the first)
        assertThatThrownBy(() -> PyExpr.parse("-".repeat(200_000) + "1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nesting deeper than 64");
        assertThatThrownBy(() -> PyExpr.parse("2**".repeat(100_000) + "2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nesting deeper than 64");
        assertThat(((PyExpr.Int) PyExpr.parse("-".repeat(60) + "1")).value()).isEqualTo(1);
        assertThat(((PyExpr.Int) PyExpr.parse("1" + "**1".repeat(60))).value()).isEqualTo(1);
    }

    @Test
    void signatureBindsLikePython() {
        Signature s = new Signature("Conv2d", 3, "in_channels", "out_channels", "kernel_size", "stride");
        Signature.Bound b = s.bind((PyExpr.Call) PyExpr.parse("Conv2d(3, 16, kernel_size=(1, 3))"));
        assertThat(b.intsValue("kernel_size", new int[0])).containsExactly(1, 3);
        assertThat(b.intsValue("stride", new int[] {1})).containsExactly(1);
        // integers beyond int are refused, not truncated ((4294967299, 3) was read as (3, 3); -2**63 as 0)
        Signature.Bound big = s.bind((PyExpr.Call) PyExpr.parse("Conv2d(-9223372036854775807 - 1, 16, (4294967299, 3))"));
        assertThatThrownBy(() -> big.intsValue("kernel_size", new int[0]))
                .hasMessage("Conv2d(): argument 'kernel_size' is (4294967299, 3), expected an int or a tuple of ints");
        assertThatThrownBy(() -> big.intValue("in_channels", 0))
                .hasMessage("Conv2d(): argument 'in_channels' is -9223372036854775808, expected an integer");
        assertThatThrownBy(() -> s.bind((PyExpr.Call) PyExpr.parse("Conv2d(3, 16, 3, 1, 2)")))
                .hasMessage("Conv2d() takes from 3 to 4 positional arguments but 5 were given "
                        + "(parameters: in_channels, out_channels, kernel_size, stride)");
        assertThatThrownBy(() -> s.bind((PyExpr.Call) PyExpr.parse("Conv2d(3, 16, 3, paddin=1)")))
                .hasMessage("Conv2d() got an unexpected keyword argument 'paddin'; "
                        + "expected one of [in_channels, out_channels, kernel_size, stride]");
        assertThatThrownBy(() -> new Signature("Tanh", 0).bind((PyExpr.Call) PyExpr.parse("Tanh(1)")))
                .hasMessage("Tanh() takes 0 positional arguments but 1 was given (parameters: none)");
        assertThatThrownBy(() -> s.bind((PyExpr.Call) PyExpr.parse("Conv2d(3, 16, 3, in_channels=2)")))
                .hasMessage("Conv2d() got multiple values for argument 'in_channels'");
        assertThatThrownBy(() -> s.bind((PyExpr.Call) PyExpr.parse("Conv2d(3)")))
                .hasMessage("Conv2d() missing 2 required positional arguments: 'out_channels' and 'kernel_size'");
    }
}
