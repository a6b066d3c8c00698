from django import template

from dinsos_sync.selectors import ClaimFindings
from dinsos_sync.selectors import claim_findings as select_claim_findings

register = template.Library()


@register.simple_tag
def claim_findings(claim) -> ClaimFindings:
    """{% claim_findings claim as findings %}: the registry check of a claim."""
    return select_claim_findings(claim)
