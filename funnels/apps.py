from django.apps import AppConfig


class FunnelsConfig(AppConfig):
    name = "funnels"
    verbose_name = "Funnels"

    def ready(self) -> None:
        """The catalog asks the funnels what a change to an offer would do to them (``offers.impact``): it may not
        import this app, so this app tells it whom to ask."""
        from funnels.services.catalog_impact import FunnelCatalogImpact
        from offers.impact import register_catalog_impact

        register_catalog_impact(FunnelCatalogImpact())
