/**
 * Operations for tgsupport: {@link dev.tgsupport.metrics.PipelineMetrics} (Micrometer meters through the pipeline
 * listener), {@link dev.tgsupport.metrics.OutboxMetrics}, {@link dev.tgsupport.metrics.Health} (liveness and
 * readiness) and {@link dev.tgsupport.metrics.OpsEndpoints}, which serve them over HTTP.
 */
package dev.tgsupport.metrics;
