package dev.rolloutlab.result;

/**
 * What a scenario's source claims for its approach, so that {@code compare} can print the claim beside the
 * measurement. Claims are production figures as their source states them; the scenario that carries them may scale
 * times down ({@code scaled} says so).
 *
 * @param source   where the claims come from, e.g. {@code seed} (the seed document's table)
 * @param approach the approach's name in that source, e.g. {@code Traditional}
 * @param scaled   whether the scenario's times are scaled down from the production times the claims are about
 */
public record Claims(String source, String approach, String downtime, String rollback, String overhead,
                     boolean scaled) {
}
