"""Deliveries to citizens by the topics they chose (LINE): subscriptions, deliveries, the engine."""
