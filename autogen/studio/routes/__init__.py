"""The Studio's JSON API, one router per entity."""
