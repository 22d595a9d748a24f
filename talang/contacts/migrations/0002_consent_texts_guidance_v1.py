"""The first privacy notice for relocation guidance, in the four languages of the forms."""

from django.db import migrations

TEXTS = {
    "sv": (
        "Region Jämtland Härjedalen och kommunen du väljer är personuppgiftsansvariga för "
        "uppgifterna du lämnar här.\n"
        "Ändamål: att ge dig och ditt hushåll flyttvägledning. En flyttvägledare kontaktar dig "
        "och dokumenterar era kontakter. Vägledarna i länets kommuner kan se dina uppgifter för "
        "att hjälpa dig oavsett kommun.\n"
        "Rättslig grund: ditt samtycke, som du kan ta tillbaka när du vill.\n"
        "Lagring: vi sparar uppgifterna så länge vi har kontakt och raderar dem efter fem år "
        "utan aktivitet. Anonym statistik (antal hushåll) sparas utan personuppgifter.\n"
        "Dina rättigheter: du kan se, rätta och radera dina uppgifter genom länken i "
        "bekräftelsemejlet, eller genom att kontakta regionens flyttvägledning."
    ),
    "en": (
        "Region Jämtland Härjedalen and the municipality you choose are the controllers of the "
        "data you give here.\n"
        "Purpose: to give you and your household relocation guidance. A relocation guide "
        "contacts you and documents your contacts. The guides of the region's municipalities "
        "can see your data, so that they can help you whichever municipality you choose.\n"
        "Legal basis: your consent, which you can withdraw at any time.\n"
        "Retention: we keep the data while we are in contact and delete it after five years "
        "without activity. Anonymous statistics (numbers of households) are kept without "
        "personal data.\n"
        "Your rights: you can see, correct and erase your data through the link in the "
        "confirmation e-mail, or by contacting the region's relocation guidance."
    ),
    "de": (
        "Die Region Jämtland Härjedalen und die von Ihnen gewählte Gemeinde sind für die hier "
        "angegebenen Daten verantwortlich.\n"
        "Zweck: Ihnen und Ihrem Haushalt eine Umzugsberatung anzubieten. Eine Umzugsberaterin "
        "oder ein Umzugsberater nimmt Kontakt mit Ihnen auf und dokumentiert Ihre Gespräche. Die "
        "Beraterinnen und Berater aller Gemeinden der Region können Ihre Daten sehen, um Ihnen "
        "unabhängig von der Gemeinde zu helfen.\n"
        "Rechtsgrundlage: Ihre Einwilligung, die Sie jederzeit widerrufen können.\n"
        "Speicherdauer: Wir speichern die Daten, solange wir in Kontakt sind, und löschen sie "
        "nach fünf Jahren ohne Aktivität. Anonyme Statistiken (Anzahl der Haushalte) werden ohne "
        "personenbezogene Daten aufbewahrt.\n"
        "Ihre Rechte: Sie können Ihre Daten über den Link in der Bestätigungs-E-Mail einsehen, "
        "berichtigen und löschen lassen oder sich an die Umzugsberatung der Region wenden."
    ),
    "nl": (
        "Region Jämtland Härjedalen en de gemeente die u kiest zijn verwerkingsverantwoordelijk "
        "voor de gegevens die u hier invult.\n"
        "Doel: u en uw huishouden verhuisbegeleiding bieden. Een verhuisbegeleider neemt contact "
        "met u op en legt uw contacten vast. De begeleiders van alle gemeenten in de regio kunnen "
        "uw gegevens zien, zodat zij u kunnen helpen, welke gemeente u ook kiest.\n"
        "Rechtsgrond: uw toestemming, die u altijd kunt intrekken.\n"
        "Bewaartermijn: wij bewaren de gegevens zolang we contact hebben en verwijderen ze na vijf "
        "jaar zonder activiteit. Anonieme statistieken (aantallen huishoudens) worden bewaard "
        "zonder persoonsgegevens.\n"
        "Uw rechten: u kunt uw gegevens inzien, laten corrigeren en laten verwijderen via de link "
        "in de bevestigingsmail, of door contact op te nemen met de verhuisbegeleiding van de "
        "regio."
    ),
}


def publish(apps, schema_editor):
    ConsentText = apps.get_model("contacts", "ConsentText")
    for language, text in TEXTS.items():
        ConsentText.objects.update_or_create(
            purpose="guidance", version=1, language=language, defaults={"text": text}
        )


def unpublish(apps, schema_editor):
    apps.get_model("contacts", "ConsentText").objects.filter(purpose="guidance", version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("contacts", "0001_contacts_initial")]

    operations = [migrations.RunPython(publish, unpublish)]
