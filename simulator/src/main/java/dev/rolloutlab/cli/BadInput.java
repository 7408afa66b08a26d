package dev.rolloutlab.cli;

import java.util.List;

/**
 * Input a command refuses (an option, a folder, a file or a value in it), worded by the command so that it names
 * what is wrong: printed as is, one line per problem, exit 2 ({@link ExitCodes}).
 */
final class BadInput extends RuntimeException {
    BadInput(String problem) {
        super(problem);
    }

    /** Every problem found, so that the user fixes them all at once. */
    BadInput(List<String> problems) {
        super(String.join(System.lineSeparator(), problems));
    }
}
