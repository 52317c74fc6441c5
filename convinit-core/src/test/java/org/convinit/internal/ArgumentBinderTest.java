package org.convinit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Python's binding rules and messages (each message as CPython 3 words it, plus the parameter list). */
class ArgumentBinderTest {
    private final ArgumentBinder f = new ArgumentBinder("f", List.of(), List.of("a", "b", "c", "d"), 3);
    private final ArgumentBinder init = new ArgumentBinder("g_", List.of("tensor"), List.of("x", "y"), 0);

    @Test
    void bindsPositionalThenKeywordsInCallOrder() {
        LinkedHashMap<String, Object> b = f.bind(List.of(1, 2), Map.of("c", 3));
        assertThat(b).containsExactly(Map.entry("a", 1), Map.entry("b", 2), Map.entry("c", 3));
        assertThat(init.bind(List.of(), Map.of())).isEmpty();
        assertThat(f.toString()).isEqualTo("f(a, b, c, d=...)");
        assertThat(init.toString()).isEqualTo("g_(tensor, x=..., y=...)");
    }

    @Test
    void errorsReadAsPythonsAndNameTheParameters() {
        Object[][] table = {
            {f, List.of(1, 2, 3, 4, 5), Map.of(),
                "f() takes from 3 to 4 positional arguments but 5 were given (parameters: a, b, c, d)"},
            {init, List.of(1, 2, 3), Map.of(), "g_() takes from 1 to 3 positional arguments but 4 were given (parameters: tensor, x, y)"},
            {new ArgumentBinder("h", List.of("tensor"), List.of(), 0), List.of(1), Map.of(),
                "h() takes 1 positional argument but 2 were given (parameters: tensor)"},
            {new ArgumentBinder("k", List.of(), List.of("a"), 1), List.of(1, 2), Map.of(),
                "k() takes 1 positional argument but 2 were given (parameters: a)"},
            {f, List.of(1, 2, 3), Map.of("e", 0), "f() got an unexpected keyword argument 'e'; expected one of [a, b, c, d]"},
            {f, List.of(1, 2, 3), Map.of("a", 0), "f() got multiple values for argument 'a'"},
            {f, List.of(1, 2), Map.of(), "f() missing 1 required positional argument: 'c'"},
            {f, List.of(1), Map.of(), "f() missing 2 required positional arguments: 'b' and 'c'"},
            {f, List.of(), Map.of("d", 1), "f() missing 3 required positional arguments: 'a', 'b', and 'c'"},
        };
        for (Object[] row : table) {
            ArgumentBinder binder = (ArgumentBinder) row[0];
            assertThatThrownBy(() -> binder.bind((List<?>) row[1], (Map<String, ?>) row[2]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage((String) row[3]);
        }
        assertThatThrownBy(() -> new ArgumentBinder("f", List.of(), List.of("a"), 2))
                .hasMessage("f: 2 required parameters of [a]");
    }
}
