package dev.rolloutlab.result;

import dev.rolloutlab.engine.Run;

/** A test class at the bottom level that reaches up to the engine: what {@code ArchitectureTest} must reject. */
public final class UpwardImport {
    Run run;
}
