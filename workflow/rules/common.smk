# Helpers shared by the rules files; every rule calls one bibnet function with its log file.


def year_source(year):
    """What one year's count tables are read from (nothing: a synthetic world is drawn)."""
    if config["source"] == "openalex":
        return [f"data/raw/openalex/{year}/manifest.json"]
    if config["source"] == "pajek":
        return [f"{config['pajek_dir']}/WrldCo{year}.net"]
    return []
