package dev.rolloutlab.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolloutlab.reports.RunDiff.InputDifference;
import dev.rolloutlab.result.RunInput;
import dev.rolloutlab.result.RunResult;
import dev.rolloutlab.result.TestRuns;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunDiffInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void saysWhichKeysOfTheScenarioAndTheCommandLineDiffered() throws Exception {
        RunResult baseline = run("{\"load\": {\"rate\": \"1000/s\", \"duration\": \"30s\"}, \"faults\": "
            + "[{\"at\": \"5s\", \"type\": \"kill\"}]}", "rollout-lab", "run", "s.yaml");
        RunResult candidate = run("{\"load\": {\"rate\": \"500/s\", \"duration\": \"30s\"}, \"faults\": "
            + "[{\"at\": \"20s\", \"type\": \"kill\"}], \"slo\": {\"errorRate\": 0.02}}", "rollout-lab", "run",
            "s.yaml", "--set", "load.rate=500/s");

        RunDiff diff = new RunDiff(baseline, candidate, List.of());

        assertThat(diff.inputDifferences()).containsExactly(
            new InputDifference("faults.0.at", "5s", "20s"),
            new InputDifference("load.rate", "1000/s", "500/s"),
            new InputDifference("slo.errorRate", null, "0.02"),
            new InputDifference("(command line)", "rollout-lab run s.yaml",
                "rollout-lab run s.yaml --set load.rate=500/s"));
        assertThat(diff.text()).contains("input differences\n").containsPattern("load\\.rate +1000/s +500/s")
            .containsPattern("slo\\.errorRate +\\(absent\\) +0\\.02");
        assertThat(diff.markdown()).contains("### Input differences\n\n| key | baseline | candidate |\n|---|---|---|\n"
            + "| faults.0.at | 5s | 20s |\n");
    }

    @Test
    void theSameInputOrNoneRecordedIsSaidInOneLine() throws Exception {
        RunResult a = run("{\"load\": {\"rate\": \"10/s\"}}", "rollout-lab", "run", "s.yaml");
        assertThat(new RunDiff(a, a, List.of()).inputDifferences()).isEmpty();
        assertThat(new RunDiff(a, a, List.of()).text()).contains("input      the same scenario and command line\n");

        RunResult old = new TestRuns().build();
        RunDiff withOld = new RunDiff(old, a, List.of());
        assertThat(withOld.inputDifferences()).isEmpty();
        assertThat(withOld.text()).contains("input      not recorded in the baseline's result.json");
    }

    @Test
    void theInputSurvivesResultJson(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        RunResult r = run("{\"load\": {\"rate\": \"1000/s\", \"ramps\": []}, \"slo\": {\"errorRate\": 0.02}}",
            "rollout-lab", "run", "s.yaml", "--set", "slo.errorRate=0.02");
        dev.rolloutlab.result.ResultJson.write(r, dir.resolve("result.json"));

        RunResult read = dev.rolloutlab.result.ResultJson.read(dir.resolve("result.json"));

        assertThat(read.input()).isEqualTo(r.input());
        assertThat(new RunDiff(r, read, List.of()).inputDifferences()).isEmpty();
    }

    private static RunResult run(String scenario, String... commandLine) throws Exception {
        JsonNode tree = JSON.readTree(scenario);
        return new TestRuns().build().withInput(new RunInput("s.yaml", List.of(commandLine), tree));
    }
}
