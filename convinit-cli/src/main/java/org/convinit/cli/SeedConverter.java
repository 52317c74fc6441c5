package org.convinit.cli;

import picocli.CommandLine;

/**
 * A seed as {@code torch.manual_seed} takes it: any integer from -2^63 to 2^64 - 1. Values from 2^63 up are
 * kept as the same 64-bit pattern (torch seeds with the low 64 bits; a negative seed is its two's complement),
 * so {@code 18446744073709551615} and {@code -1} seed the same stream, as in torch.
 */
final class SeedConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        String v = value.strip().replace("_", "");
        try {
            return v.startsWith("-") ? Long.parseLong(v) : Long.parseUnsignedLong(v.startsWith("+") ? v.substring(1) : v);
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a seed: expected an integer from -2^63 to 2^64 - 1"
                    + " (torch.manual_seed's range)");
        }
    }
}
