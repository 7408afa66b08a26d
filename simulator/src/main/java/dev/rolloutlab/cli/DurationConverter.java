package dev.rolloutlab.cli;

import dev.rolloutlab.scenario.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** Reads command-line durations in the scenario format ({@code 250ms}, {@code 5s}). */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
