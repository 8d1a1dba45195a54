"""The REST API of the reports module: catalogue, data values, reports and analytics."""
