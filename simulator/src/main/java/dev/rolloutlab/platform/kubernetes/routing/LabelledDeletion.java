package dev.rolloutlab.platform.kubernetes.routing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.List;
import java.util.Map;

/** Cleanup of a router's own objects by label, shared by the routers that have kinds of their own. */
public final class LabelledDeletion {
    private LabelledDeletion() {
    }

    /**
     * Deletes the objects carrying all of {@code labels}, one by one so the count is of objects really deleted.
     *
     * @param namespace {@code null} for every namespace
     * @return how many were deleted; 0 when the kind's CRD is not installed (the API answers 404)
     * @throws IllegalArgumentException for no labels, which would select every object of the kind
     */
    public static <T extends HasMetadata, L extends KubernetesResourceList<T>> int delete(
        MixedOperation<T, L, Resource<T>> resources, String namespace, Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            throw new IllegalArgumentException("no labels to select the objects to delete by");
        }
        List<T> found;
        try {
            found = (namespace == null ? resources.inAnyNamespace() : resources.inNamespace(namespace))
                .withLabels(labels).list().getItems();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return 0;
            }
            throw e;
        }
        int deleted = 0;
        for (T item : found) {
            if (!resources.inNamespace(item.getMetadata().getNamespace()).withName(item.getMetadata().getName())
                .delete().isEmpty()) {
                deleted++;
            }
        }
        return deleted;
    }
}
