"""What the API reads and answers, as pydantic models. The funnel and its offers are the interchange format's own
models (``funnels.interchange.models``), used as they are or extended, never copied."""
