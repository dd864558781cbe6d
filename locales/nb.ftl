# dugnad: every text a person reads, in Norsk bokmål.
# Keys are the same in nb.ftl, nn.ftl and en.ftl; `cargo test catalogue` checks it.

## The language, named in itself (the language switch)

language-name = Norsk (bokmål)

## How dates, times and numbers are written

weekday-monday = mandag
weekday-tuesday = tirsdag
weekday-wednesday = onsdag
weekday-thursday = torsdag
weekday-friday = fredag
weekday-saturday = lørdag
weekday-sunday = søndag
month-january = januar
month-february = februar
month-march = mars
month-april = april
month-may = mai
month-june = juni
month-july = juli
month-august = august
month-september = september
month-october = oktober
month-november = november
month-december = desember
written-date = { $day }. { $month } { $year }
written-clock = { $hour }.{ $minute }
written-moment = { $date } kl. { $time }
written-minus = −
written-decimal-point = ,
written-thousands = {"\u00A0"}

## Console: account

account-administrator = Administrator
account-are-signed-out = Du er logget ut.
account-are-signed-out-everywhere = Du logges ut alle andre steder.
account-belongs = Tilhører
account-change-password = Bytt passord
account-code-does-not-match = Koden stemmer ikke. Skriv inn koden appen viser nå.
account-code-wrong-already-used = Koden er feil eller allerede brukt. Prøv den neste koden appen viser.
account-council-coordinator = Koordinator i nærmiljøutvalg
account-council-s-page = Nærmiljøutvalgets side
account-current-password = Nåværende passord
account-current-password-wrong-password = Det nåværende passordet er feil. Passordet er ikke byttet.
account-email-address-password-wrong = E-postadressen eller passordet er feil.
account-if-address-has-account = Har adressen en konto, har vi sendt en lenke dit. Sjekk e-posten din (også søppelpost). Lenken virker i én time.
account-meeting-overview = Møteoversikten
account-new-password-at-least = Nytt passord (minst 10 tegn)
account-new-password-too-weak = Det nye passordet er for svakt: bruk minst 10 tegn, ikke et vanlig passord og ikke e-postadressen din.
account-off = Av
account-on = På
account-password-changed-are-signed = Passordet er byttet, og du er logget ut alle andre steder.
account-password-wrong = Passordet er feil.
account-recovery-codes-left = gjenopprettingskoder igjen
account-session-has-expired-sign = Økten din er utløpt. Logg inn igjen, så kommer du tilbake til siden.
account-session-has-expired-sign-2 = Økten din er utløpt. Logg inn igjen.
account-session-has-expired-so = Økten din er utløpt, så ingenting ble lagret ennå. Logg inn igjen, så får du skjemaet tilbake slik du fylte det ut.
account-set-up-new-authenticator = Sett opp en ny autentiseringsapp
account-staff = Ansatt
account-there-have-been-too = Det har vært for mange mislykkede innlogginger på denne kontoen fra mange steder. Var passordet riktig, har eieren fått en e-post med en lenke som åpner for innlogging herfra.
account-turn-two-factor-authentication = Slå på tofaktorautentisering
account-volunteer = Frivillig

## Console: code

code-code = Kode
code-enter-code-from-authenticator = Skriv inn koden fra autentiseringsappen din, eller en av gjenopprettingskodene.

## Console: common

common-accessibility-statement = Tilgjengelighetserklæring
common-action = Handling
common-address = Adresse
common-all = Alle
common-all-tasks = Alle oppgaver
common-area = Område
common-cancelled = Avlyst
common-category = Kategori
common-completed = Fullført
common-continue = Fortsett
common-council = Nærmiljøutvalg
common-council-2 = Nærmiljøutvalget
common-deactivate = Deaktiver
common-deactivated = Deaktivert
common-download-as-csv = Last ned som CSV
common-duration = Varighet
common-edit-task = Endre oppgaven
common-edited = Endret
common-email = E-post
common-expired = Utløpt
common-filled = Fylt
common-forgot-password = Glemt passord
common-found-volunteer = Fikk frivillig
common-funding-key = Fordelingsnøkkel
common-history = Historikk
common-minutes = minutter
common-my-account = Min konto
common-name = Navn
common-neighbourhood-council = Nærmiljøutvalg
common-new-task = Ny oppgave
common-next-page = Neste side
common-no = Nei
common-no-expiry = uten utløp
common-notes = Notater
common-number-spots = Antall plasser
common-of = av
common-one-time-code = Engangskode
common-opt-outs-force = Reservasjoner som gjelder
common-outbox = Utboks
common-password = Passord
common-phone = Telefon
common-posted = Lagt ut
common-private-details = Private opplysninger
common-qualifications = Kvalifikasjoner
common-reason = Grunn
common-reason-cancelling = Grunn til avlysning
common-recipient-s-name = Mottakers navn
common-recipient-s-phone = Mottakers telefon
common-recovery-codes = Gjenopprettingskoder
common-report = Rapport
common-role = Rolle
common-save = Lagre
common-saved = Lagret.
common-service-unit = Tjenesteenhet
common-show = Vis
common-sign = Logg inn
common-spots = Plasser
common-start-time = Starttid
common-status = Status
common-tasks = Oppgaver
common-two-factor-authentication = Tofaktorautentisering
common-users = Brukere
common-volunteer-hours = Frivillige timer
common-volunteers = Frivillige
common-withdrawn = Trukket tilbake
common-year = År
common-yes = Ja

## Console: console

console-action-does-not-fit = Handlingen passer ikke med oppgavens tilstand nå. Gå tilbake og last inn siden på nytt.
console-form-did-not-come = Skjemaet kom ikke fra denne økten, så ingenting ble endret. Gå tilbake, last inn siden på nytt og prøv igjen.
console-form-has-expired = Skjemaet er utløpt
console-may-not-see-page = Du har ikke tilgang til denne siden eller handlingen.
console-not-allowed = Ingen tilgang
console-page-does-not-exist = Siden finnes ikke, eller du har ikke tilgang til den.
console-page-not-found = Fant ikke siden
console-reference-data = Referansedata
console-service-temporarily-unavailable-try = Tjenesten er midlertidig utilgjengelig. Prøv igjen om litt. Ingenting ble lagret.
console-something-went-wrong = Noe gikk galt
console-something-went-wrong-our = Noe gikk galt hos oss. Ingenting ble lagret. Prøv igjen.
console-start-page = Til forsiden
console-temporarily-unavailable = Midlertidig utilgjengelig
console-that-did-not-work = Det gikk ikke
console-there-have-been-too = Det har vært for mange mislykkede forsøk. Vent et kvarter og prøv igjen.
console-too-many-attempts = For mange forsøk

## Console: council

council-cancel = Avbryt
council-categories-council-takes = Kategorier utvalget tar på seg
council-category-taken-back = Kategorien er tatt tilbake.
council-confirm-opt-out = Bekreft reservasjonen
council-council-has-opted-out = Utvalget er reservert mot kategorien.
council-council-has-opted-out-2 = Utvalget har ikke reservert seg mot noen kategori.
council-date-meeting = Møtedato
council-keep-opt-out = Beholder reservasjonen
council-keeps-opt-out = beholder reservasjonen mot
council-meeting-overview = Møteoversikt
council-no-changes = : ingen endringer
council-now = nå
council-one-decision-per-category = Ett vedtak per kategori. Alt i skjemaet gjennomføres samlet, eller ingenting.
council-open-tasks-nobody-has = åpne oppgaver som ingen har tatt, trekkes tilbake, og enhetene får beskjed.
council-opt-back = Reserver ikke lenger
council-opt-back-2 = Ta tilbake
council-opt-back-3 = Tar kategorien tilbake
council-opt-council-out = Reserver utvalget
council-opt-council-out-category = Reserver utvalget mot en kategori
council-opted-out = Reservert mot
council-opts-back = tar tilbake
council-overview-yearly-meeting-printable = Møteoversikt for årsmøtet (med utskrift)
council-participants = Deltakere
council-reason = Begrunnelse
council-reason-taking-category-back = Begrunnelse for å ta kategorien tilbake
council-record-review = Registrer gjennomgangen
council-review-by = Vurderes innen
council-review-recorded-decisions-apply = Gjennomgangen er registrert, og vedtakene gjelder fra nå. Den står i historikken og i møteoversikten.
council-review-was-not-recorded = Gjennomgangen ble ikke registrert: møtedatoen kan ikke være fram i tid, og hvert vedtak må passe med reservasjonene som gjelder nå. Ingenting ble endret.
council-since = Siden
council-taken-back = Tatt tilbake
council-takes = tar på seg
council-tasks-already-taken-keep = oppgaver som allerede er tatt, beholder sine frivillige.
council-write-reason-at-most = Skriv en begrunnelse (høyst 1000 tegn) og en dato fram i tid.
council-yearly-review = årlig gjennomgang
council-yearly-review-2 = Årlig gjennomgang
council-yearly-review-meeting = Årlig gjennomgang, møte

## Console: enrol

enrol-already-have-authenticator-app = Du har allerede en autentiseringsapp. Setter du opp en ny, slutter den gamle å virke, og du får nye gjenopprettingskoder.
enrol-code-from-app = Kode fra appen
enrol-enter-code-app-shows = Skriv inn koden appen viser nå.
enrol-municipality-requires-one-time = Kommunen krever en engangskode i tillegg til passordet for å se oppgaver med private opplysninger. Sett opp en autentiseringsapp for å fortsette.
enrol-scan-qr-code-with = Skann QR-koden med en autentiseringsapp (for eksempel Microsoft Authenticator eller Google Authenticator).
enrol-turn = Slå på
enrol-type-key = Eller skriv inn denne nøkkelen:

## Console: forgot

forgot-back-sign = Tilbake til innloggingen
forgot-enter-email-address-sign = Skriv e-postadressen du logger inn med. Har den en konto, sender vi en lenke der du velger et nytt passord (den virker i én time).
forgot-send-link = Send lenken

## Console: funding

funding-amount-per-resident-aged = Beløp per innbygger 0–19 år
funding-amount-per-resident-aged-2 = Beløp per innbygger 0–19 år (kr)
funding-amounts = Beløp for
funding-base = Grunnbeløp
funding-base-amount-per-council = Grunnbeløp per utvalg
funding-base-amount-per-council-2 = Grunnbeløp per utvalg (kr)
funding-choose-year-from-2000 = Velg et år mellom 2000 og 2100.
funding-enter-resident-figure = Registrer innbyggertall
funding-example-ssb-table-07459 = For eksempel «SSB, tabell 07459» eller kommunens folkeregisteruttrekk.
funding-figure-as = Tallet gjelder per dato
funding-key = I ordningen
funding-left-pot = Igjen av potten
funding-missing = mangler
funding-no-amounts-are-set = Det er ikke satt beløp for dette året.
funding-not-saved-check-fields = Ikke lagret: sjekk feltene
funding-per-resident = Per innbygger
funding-pot = Pott
funding-pot-nok = Pott (kr)
funding-residents-aged-0-19 = Innbyggere 0–19 år
funding-save-amounts = Lagre beløpene
funding-save-figure = Lagre tallet
funding-shared-all = Fordelt i alt
funding-source = Kilde
funding-source-date = Kilde og dato
funding-total = Sum
funding-warning-shares-exceed-pot = Advarsel: fordelingen er større enn potten.

## Console: layout

layout-main-menu = Hovedmeny
layout-sign-out = Logg ut
layout-skip-content = Hopp til innholdet

## Console: login

login-forgot-password = Glemt passord?

## Console: outbox

outbox-addresses-are-masked-devices = Adressene vises maskert og enhetene med slutten av id-en; innholdet vises aldri.
outbox-attempts = Forsøk
outbox-channel = Kanal
outbox-dead = Mislyktes
outbox-email-push-outbox = Utboks for e-post og push
outbox-kind = Type
outbox-last-error = Siste feil
outbox-next-attempt = Neste forsøk
outbox-no-notifications-here = Ingen varsler her.
outbox-notification-back-queue = Varselet er lagt i køen igjen.
outbox-pending = Venter
outbox-push-app = Push (app)
outbox-retry = Prøv igjen
outbox-to = Til
outbox-unknown = Ukjent

## Console: overview

overview-council-has-recorded-no = Utvalget har ikke registrert noen gjennomgang ennå.
overview-figures-behind-charts = Tallene bak diagrammene
overview-no-tasks-council-s = Ingen oppgaver i utvalgets område dette året.
overview-none = Ingen.
overview-print-page-from-browser = Skriv ut siden fra nettleseren for en ren A4-side til møtet. Tall om færre enn tre personer vises ikke («–»).
overview-review-by = vurderes innen
overview-tasks-per-category = Oppgaver per kategori
overview-yearly-reviews = Årlige gjennomganger

## Console: recovery

recovery-print-write-down-these = Skriv ut eller skriv ned disse kodene og oppbevar dem trygt. Hver kode kan brukes én gang hvis du mister telefonen. De vises bare nå.
recovery-two-factor-authentication = Tofaktorautentisering er slått på.

## Console: reference

reference-active = Aktivt
reference-at-most-days-old = Høyst dager gammel når vist
reference-at-most-days-old-2 = Høyst dager gammel når vist (tomt: ingen grense)
reference-categories = Kategorier
reference-change = Endre
reference-change-requirements = Endre krav
reference-councils = Nærmiljøutvalg
reference-create = Opprett
reference-create-category = Opprett kategorien
reference-create-qualification = Opprett kvalifikasjonen
reference-create-unit = Opprett enheten
reference-deactivate = deaktiver
reference-description-bokm-l = Beskrivelse på bokmål
reference-description-english = Beskrivelse på engelsk
reference-edit = Endre
reference-email-unit-s-shared = E-post (enhetens felles adresse)
reference-funding-key = I fordelingsnøkkelen
reference-inactive = Ikke aktivt
reference-legal-basis = Hjemmel
reference-legal-basis-law-municipality = Hjemmel (lov eller kommunens regel)
reference-name-bokm-l = Navn (bokmål)
reference-name-bokm-l-2 = Navn på bokmål
reference-name-english = Navn (engelsk)
reference-name-english-2 = Navn på engelsk
reference-name-slug-exists-already = Navnet eller koden finnes allerede.
reference-new-council = Nytt nærmiljøutvalg
reference-new-name = Nytt navn
reference-not-saved-check-fields = Ikke lagret: sjekk feltene (koder er små bokstaver og bindestrek, e-post må være gyldig).
reference-put-key = ta med i nøkkelen
reference-put-key-2 = Ta med i nøkkelen
reference-reference-data = Grunndata
reference-rename = Gi nytt navn
reference-rename-2 = Endre navn
reference-requires = Krever
reference-save-requirements = Lagre kravene
reference-service-units = Tjenesteenheter
reference-slug = Kode
reference-slug-lower-case-letters = Kode (små bokstaver og bindestrek)
reference-take-out-key = ta ut av nøkkelen
reference-take-out-key-2 = Ta ut av nøkkelen
reference-use = I bruk
reference-use-again = ta i bruk igjen
reference-use-again-2 = Ta i bruk igjen
reference-valid-months = Gyldig (måneder)
reference-valid-months-empty-no = Gyldig i måneder (tomt: uten utløp)
reference-volunteers-must-hold = Frivillige må ha
reference-what-municipality-requires-some = Det kommunen krever for noen kategorier. En attest vises fram og lagres aldri; en ny gyldighet gjelder det som registreres fra nå.

## Console: report

report-active-volunteers = Aktive frivillige
report-choose-months-such-as = Velg måneder som 2026-01.
report-figures-about-fewer-than = Tall om færre enn tre personer vises ikke («–»), så ingen kan kjennes igjen.
report-from-month = Fra måned
report-group = Gruppe
report-grouped-by = Gruppert etter
report-month = Måned
report-month-inclusive = Til og med måned
report-period-invalid-choose-from = Perioden er ugyldig: velg en fra-måned som ikke er etter til-måneden, høyst fem år.
report-tasks-posted-completed = Oppgaver lagt ut og fullført
report-total = Totalt

## Console: series

series-1-every-time-2 = 1 er hver gang, 2 annenhver, opptil 4. En månedlig dato er samme dag i måneden; måneder uten den dagen hoppes over.
series-cancel-from-date = Avlys fra denne datoen
series-cancel-series = Avlys serien
series-cancelled-from = Avlyst fra
series-copied-each-date-only = Kopieres til hver dato. Bare enheten, administratorer og frivillige som har tatt en dato, ser dette.
series-dates = Datoer
series-dates-before-stay-as = Datoene før denne står som de er. Ingen nye datoer lages fra denne datoen.
series-dates-from-chosen-date = Datoene fra den valgte datoen er avlyst.
series-day = dag
series-every = hver
series-every-day = Hver dag
series-every-day-2 = hver dag
series-every-month = Hver måned
series-every-month-2 = hver måned
series-every-week = Hver uke
series-every-week-2 = hver uke
series-fill-either-number-times = Fyll ut enten antall ganger (1–104) eller siste dato.
series-first-date = Første dato
series-from = fra
series-from-date = Fra og med dato
series-interval = Intervall
series-month = måned
series-no-dates-have-been = Ingen datoer er laget ennå.
series-no-just-once = Nei, bare én gang
series-number-times = Antall ganger
series-repeats = Gjentas
series-series = Serien
series-series-published = Serien er publisert.
series-spots-taken = plasser tatt
series-time-day = Klokkeslett
series-times = ganger
series-until = til og med
series-until-including = Til og med dato
series-volunteers-who-have-taken = De frivillige som har tatt en av datoene, får grunnen på e-post.
series-week = uke

## Console: task

task-actions = Handlinger
task-cancel-task = Avlys oppgaven
task-complete = Fullfør
task-complete-with-hours-per = Fullfør med timer per frivillig
task-hours = Timer for
task-invitations = Invitasjoner
task-invite = Inviter
task-invite-volunteer = Inviter en frivillig
task-missing = Mangler
task-nobody-can-invited-task = Ingen kan inviteres til denne oppgaven: ingen frivillige her har sagt ja til å bli invitert, eller de har reservert seg mot kategorien.
task-nobody-has-taken-task = Ingen har tatt oppgaven ennå.
task-one-date-series-see = En dato i en serie – se serien og alle datoene
task-only-unit-admins-volunteers = Bare enheten, administratorer og frivillige som har tatt oppgaven, ser dette.
task-only-volunteers-who-agreed = Bare frivillige som har sagt ja til invitasjoner, står i listen. En invitasjon er et spørsmål, ikke en tildeling.
task-public-details = Offentlige opplysninger
task-volunteers-who-have-taken = De frivillige som har tatt oppgaven, får grunnen på e-post.

## Console: taskform

taskform-form-has-errors-see = Skjemaet har feil. Se feltene som er merket.
taskform-leave-repeats-at-no = La «Gjentas» stå på «Nei» for én enkelt oppgave. En serie lager hver dato som en egen oppgave, åtte uker fram i tid, alltid på samme klokkeslett.
taskform-not-given = (ikke oppgitt)
taskform-open = Åpen
taskform-private-only-unit-whoever = Privat – bare for enheten og den som har tatt oppgaven
taskform-public-volunteers-see = Offentlig – dette ser de frivillige
taskform-repetition = Gjentakelse
taskform-weekdays-only-when-repeats = Ukedager (bare når den gjentas hver uke)
taskform-whole-municipality = Hele kommunen
taskform-yes-post-another-task = Ja, legg ut en oppgave til

## Console: tasks

tasks-address = adresse
tasks-already-invited = allerede invitert
tasks-area = område
tasks-category = kategori
tasks-changes-are-saved = Endringene er lagret.
tasks-choose = Velg …
tasks-council = nærmiljøutvalg
tasks-council-has-opted-out = Nærmiljøutvalget har reservert seg mot denne kategorien. Velg et annet utvalg eller en annen kategori.
tasks-council-has-opted-out-2 = Nærmiljøutvalget har reservert seg mot denne kategorien.
tasks-date = Til dato
tasks-date-invalid = Datoen er ugyldig.
tasks-description = Beskrivelse
tasks-description-2 = beskrivelse
tasks-duration = varighet
tasks-duration-minutes = Varighet (minutter)
tasks-end-time = sluttid
tasks-filter-tasks = Filtrer oppgaver
tasks-from-date = Fra dato
tasks-has-taken-task = Har tatt oppgaven
tasks-here-form-as-filled = Her er skjemaet slik du fylte det ut. Ingenting er lagret ennå: se over og send det.
tasks-hours = Timer
tasks-invitation-sent = Invitasjonen er sendt.
tasks-invited = invitert
tasks-just-posted-identical-task = Du la nettopp ut en lik oppgave — legge ut en til?
tasks-lapsed = utløpt
tasks-no-tasks-match-filter = Ingen oppgaver passer filteret.
tasks-notes = notater
tasks-number-spots-cannot-go = Antall plasser kan ikke bli lavere enn antallet frivillige som har tatt oppgaven.
tasks-only-open-filled-tasks = Bare åpne eller fylte oppgaver kan endres.
tasks-open-filled = Åpne og fylte
tasks-other-fields = andre felt
tasks-public-text-too = Også offentlig tekst.
tasks-publish = Publiser
tasks-recipient-s-name = mottakers navn
tasks-recipient-s-phone = mottakers telefon
tasks-rough-area-example-torstrand = Et grovt område, for eksempel «Torstrand» – aldri en adresse.
tasks-someone-else-changed-task = Noen andre har endret oppgaven siden du åpnet skjemaet. Ingenting ble lagret. Åpne oppgaven på nytt for å se endringene.
tasks-spots = antall plasser
tasks-spots-free = plasser ledige
tasks-start = Starttid
tasks-start-time = starttid
tasks-task-cancelled = Oppgaven er avlyst.
tasks-task-completed = Oppgaven er fullført.
tasks-task-published = Oppgaven er publisert.
tasks-title = Tittel
tasks-title-2 = tittel
tasks-title-public-text-every = Tittelen er offentlig tekst som alle frivillige ser: skriv aldri navn, adresse eller helseopplysninger her.

## Console: user

user-activate-account-again = Aktiver kontoen igjen
user-all-users = Alle brukere
user-certificate-shown-never-copied = Attesten vises fram og kopieres aldri: registrer bare at den ble sett, og når den ble utstedt.
user-change-role-links = Endre rolle og tilknytning
user-date-certificate-may-at = Datoen på attesten. Den kan ikke være eldre enn tre måneder når den vises.
user-date-seen-signed = Sett eller signert dato
user-deactivate-account = Deaktiver kontoen
user-issue-date-police-certificate = Utstedt dato (politiattest)
user-issued = Utstedt
user-none-recorded = Ingen registrert.
user-person-signed-out-everywhere = Personen logges ut overalt med en gang, oppgavene personen har tatt, frigis (enhetene får beskjed), og kontoen kan ikke logge inn igjen før den aktiveres.
user-qualification = Kvalifikasjon
user-record = Registrer
user-resend-invitation = Send invitasjonen på nytt
user-revoke = Trekk tilbake
user-revoking-releases-at-once = Å trekke tilbake frigir med en gang oppgavene personen har tatt som krever kvalifikasjonen (enhetene får beskjed).
user-seen = Sett
user-valid-until = Gyldig til
user-yes-deactivate-account = Ja, deaktiver denne kontoen

## Console: users

users-account-deactivated = Kontoen er deaktivert.
users-account-with-email-address = Det finnes allerede en konto med denne e-postadressen.
users-active = Aktiv
users-choose-qualification = Velg en kvalifikasjon.
users-council-coordinators = Nærmiljøutvalg (for koordinatorer)
users-create-send-email = Opprett og send e-post
users-date-was-shown-signed = Datoen den ble vist eller signert, mangler eller ligger fram i tid.
users-invitation-sent-again = Invitasjonen er sendt på nytt.
users-issue-date-missing-after = Utstedelsesdatoen mangler, er etter visningsdatoen, eller attesten var for gammel da den ble vist (be om en ny).
users-name-email = Navn eller e-post
users-new-user = Ny bruker
users-no-users-match-search = Ingen brukere passer søket.
users-none = Ingen
users-not-chosen-yet = ikke valgt ennå
users-only-volunteers-coordinators-hold = Bare frivillige og koordinatorer har kvalifikasjoner.
users-person-gets-email-with = Personen får en e-post med lenke for å velge passord (gyldig i 7 dager).
users-qualification-recorded = Kvalifikasjonen er registrert.
users-qualification-revoked-tasks-that = Kvalifikasjonen er trukket tilbake. Oppgaver som krevde den, er frigitt, og enhetene har fått beskjed.
users-revoked = Trukket tilbake
users-role-links-do-not = Rollen og tilknytningen passer ikke sammen: ansatte trenger en tjenesteenhet, koordinatorer et nærmiljøutvalg.
users-search = Søk
users-search-users = Søk etter brukere
users-service-unit-staff = Tjenesteenhet (for ansatte)
users-that-did-not-work = Det gikk ikke: den siste aktive administratoren kan ikke fjernes, og en invitasjon sendes bare til en aktiv konto uten passord.
users-tick-box-confirm-that = Kryss av for å bekrefte at kontoen skal deaktiveres. Ingenting er endret.
users-user-created-email-way = Brukeren er opprettet, og e-posten er på vei.
users-valid = Gyldig

## Console: volunteer


## Console: task and series histories, task refusals

series-history-posted = Serien ble lagt ut
tasks-already-invited-or-claimed = Den frivillige er allerede invitert eller har tatt oppgaven.
tasks-complete-not-started = Oppgaven kan fullføres når den har startet.
tasks-history-auto-completed = Fullført automatisk
tasks-history-claimed = En frivillig tok en plass
tasks-history-filled = Alle plassene er tatt
tasks-history-lapsed = Utløpt uten frivillige
tasks-history-private-erased = Private opplysninger slettet etter oppbevaringstiden
tasks-history-released = En plass ble ledig
tasks-history-withdrawn = Trukket tilbake (nærmiljøutvalget reserverte seg)
tasks-not-now = Oppgaven tar ikke imot dette nå.

## Emails: the frame

email-greeting-named = Hei { $name },
email-greeting = Hei,
email-signature = Hilsen dugnad
email-unsubscribe = Vil du ikke lenger ha slike e-poster? Slå dem av her
email-see-task = Se oppdraget

## Emails: accounts

role-admin = administrator
role-staff = ansatt
role-coordinator = leder av nærmiljøutvalg
role-volunteer = frivillig
email-verify-subject = Bekreft e-postadressen din
email-verify-lead = Bekreft e-postadressen din for å ta oppdrag i dugnad.
email-verify-button = Bekreft e-postadressen
email-verify-small = Lenken virker i 48 timer. Har du ikke bedt om dette, kan du se bort fra e-posten.
email-reset-subject = Tilbakestill passordet ditt
email-reset-lead = Noen ba om å tilbakestille passordet til kontoen din i dugnad.
email-reset-button = Velg nytt passord
email-reset-small = Lenken virker i én time og bare én gang. Var det ikke deg, kan du se bort fra e-posten; passordet ditt er uendret.
email-unlock-subject = Var det deg som prøvde å logge inn?
email-unlock-lead = Noen har prøvd mange feil passord på kontoen din i dugnad, fra mange steder. Derfor stoppet vi en innlogging med riktig passord nå nettopp.
email-unlock-ask = Var det deg? Trykk på knappen, så kan du logge inn fra samme sted den neste timen.
email-unlock-button = Lås opp innloggingen
email-unlock-small = Lenken virker i én time og bare én gang. Var det ikke deg, kjenner noen passordet ditt: bytt det med «Glemt passord?» på innloggingssiden.
email-created-subject = Kontoen din i dugnad
email-created-lead = Det er opprettet en konto til deg i dugnad, med rollen { $role }.
email-created-button = Velg passord
email-created-small = Lenken virker i sju dager. Når du har valgt passord, logger du inn på { $sign_in } med denne e-postadressen.
email-address-changed-subject = E-postadressen din i dugnad endres
email-address-changed-lead = Noen ba om å endre e-postadressen til kontoen din i dugnad til { $address }. Du er logget ut på alle enheter.
email-address-changed-still = Denne adressen er fortsatt den du logger inn med til den nye er bekreftet.
email-address-changed-small = Var det ikke deg? Bytt passord med «Glemt passord» i appen med en gang, og kontakt kommunen.
email-codes-locked-subject = Innlogging med kode er sperret for kontoen din
email-codes-locked-lead = Noen har skrevet feil engangskode til kontoen din i dugnad 100 ganger på rad, etter å ha skrevet riktig passord. Derfor er innlogging med kode sperret for kontoen.
email-codes-locked-reset = Bytt passord med «Glemt passord?» på innloggingssiden. Det låser opp kodene igjen, og den som kjenner det gamle passordet, kommer ikke lenger inn.
email-codes-locked-small = Var det deg som skrev feil? Bytt passordet likevel for å låse opp. Kontakt kommunen hvis du lurer på noe.
email-qualification-subject = { $qualification } går ut { $day }
email-qualification-lead = { $qualification } som kommunen har registrert for deg, gjelder til og med { $day }.
email-qualification-renew = Oppgaver som krever den og starter etter denne datoen, kan du ikke ta før kommunen har registrert en ny. Oppgaver du allerede har tatt, beholder du. Ta kontakt med kommunens frivillighetskoordinator for å fornye.
email-inactive-subject = Kontoen din i dugnad slettes snart
email-inactive-lead = Du har ikke brukt kontoen din i dugnad på tre år. Om 30 dager sletter vi den og opplysningene om deg.
email-inactive-keep = Vil du beholde kontoen, er det nok å logge inn i appen før det.
email-inactive-button = Åpne dugnad

## Emails: tasks and claims

email-task-facts = «{ $title }», { $when }.
email-task-facts-area = «{ $title }», { $when }, { $area }.
email-details-in-app = Adresse og andre detaljer ser du i appen. Spørsmål? Kontakt { $contact }.
email-claimed-subject = Bekreftet: { $title }
email-claimed-lead = Takk! Du har tatt oppdraget { $facts }
email-claimed-small = Kan du ikke likevel? Du kan trekke deg i appen når som helst før oppdraget er over.
email-series-claimed-subject = Bekreftet: { $title } ({ $count } ganger)
email-series-claimed-lead = Takk! Du har tatt { $count } ganger av «{ $title }»:
email-series-claimed-small = Kan du ikke en av gangene? Du kan trekke deg fra hver enkelt i appen, når som helst før den er over.
email-follow-claim-subject = Ny gang satt av til deg: { $title }
email-follow-claim-lead = Du følger «{ $series }», så denne nye gangen er satt av til deg: { $facts }
email-follow-claim-ask = Passer det ikke denne gangen? Gi plassen fra deg med ett trykk, så kan noen andre ta den:
email-follow-claim-button = Trekk meg fra denne gangen
email-follow-claim-small = Du følger serien til og med { $until }. Vil du fortsette etter det, fornyer du i appen. Gir du fra deg en gang, slutter du også å følge serien, så ingenting blir tatt i ditt navn etterpå; du kan følge den igjen når du vil.
email-follow-ended-subject = Du følger ikke lenger serien «{ $title }»
email-follow-ended-lead = Serien «{ $title }» som du fulgte, er endret: tittel, kategori, område, ukedag eller klokkeslett er ikke lenger det du valgte. Derfor følger du den ikke lenger, og nye ganger blir ikke tatt i ditt navn.
email-follow-ended-keep = Gangene du allerede har tatt, er fortsatt dine, og du kan gi dem fra deg når som helst. Vil du fortsette med serien slik den er nå, kan du følge den igjen.
email-changed-subject = Endret: { $title }
email-changed-lead = Oppdraget du har tatt, er endret: { $facts }
email-changed-check = Se gjennom detaljene i appen. Passer det ikke lenger, kan du trekke deg.
email-cancelled-subject = Avlyst: { $title }
email-cancelled-lead = Oppdraget { $facts } er avlyst.
email-cancelled-reason = Begrunnelse: { $reason }
email-cancelled-thanks = Takk for at du stilte opp!
email-reminder-subject = Påminnelse: { $title }
email-reminder-lead = Påminnelse om oppdraget du har tatt: { $facts }
email-reminder-details = Adresse og detaljer finner du i appen.
email-reminder-ask = Kan du ikke likevel? Det er helt i orden — gi plassen fra deg, så kan noen andre ta den:
email-reminder-button = Trekk meg fra oppdraget
email-invitation-subject = Forespørsel: { $title }
email-invitation-lead = { $unit } lurer på om du kan ta oppdraget { $facts }
email-invitation-only-asking = Dette er bare en forespørsel. Vil du, tar du oppdraget i appen; passer det ikke, kan du avslå eller la være å svare.
email-spot-subject = Ledig plass: { $title }
email-spot-watching = Du følger med på dette oppdraget, og nå er en plass ledig: { $facts }
email-spot-near = En plass er blitt ledig på et oppdrag i nærheten av deg: { $facts }
email-spot-first = Den som først tar plassen i appen, får den. Passer det ikke, trenger du ikke gjøre noe.
email-digest-subject = Nye oppdrag i dugnad
email-digest-lead = { $count ->
    [one] Et nytt oppdrag passer for deg:
   *[other] { $count } nye oppdrag passer for deg:
}
email-digest-small = Du får denne oversikten fordi du har bedt om den. Ingen oppdrag tildeles — du velger selv.

## Emails to a service unit

email-unit-status = Status: { $claimed } av { $spots } plasser tatt.
email-unit-urgent = HASTER: { $subject }
email-unit-claimed-lead = En frivillig har tatt oppdraget { $facts }
email-unit-claimed-subject = Oppdrag tatt: { $title }
email-unit-released-lead = En frivillig har gitt fra seg en plass på oppdraget { $facts }
email-unit-released-subject = Frivillig trakk seg: { $title }
email-unit-closed-lead = En plass på oppdraget { $facts } er ledig igjen fordi en konto er avsluttet.
email-unit-closed-subject = Ledig plass etter en avsluttet konto: { $title }
email-unit-voided-lead = En plass på oppdraget { $facts } er ledig igjen.
email-unit-voided-subject = Ledig plass: { $title }
email-unit-free-again = Plassen er ledig igjen og vises for andre frivillige.
email-unit-filled-lead = Alle plassene på oppdraget { $facts } er tatt.
email-unit-filled-subject = Oppdrag fullt: { $title }
email-unit-withdrawn-lead = Oppdraget { $facts } er trukket tilbake: { $council } nærmiljøutvalg tar ikke lenger på seg oppdrag i denne kategorien.
email-unit-withdrawn-reason = Utvalgets begrunnelse: { $reason }
email-unit-withdrawn-repost = Oppdraget kan legges ut på nytt for hele kommunen eller et annet utvalg.
email-unit-withdrawn-subject = Trukket tilbake: { $title }

## Push notifications (a lock screen: never a title, a private detail or a name)

push-task-changed = En oppgave du har tatt, er endret
push-task-cancelled = En oppgave du har tatt, er avlyst
push-reminder = Påminnelse: du har en oppgave i morgen
push-invitation = Du er invitert til en oppgave
push-spot-opened = En plass er ledig – først til å ta den får den

## The pages behind links in emails (/e/…)

page-failed = Det gikk ikke. Lenken kan være brukt eller utløpt.
page-password = Passord
page-release-button = Trekk meg
page-release-done = Du har trukket deg. Takk for at du sa fra!
page-release-intro = Kan du ikke likevel? Det er helt i orden. Trykk på knappen, så blir plassen ledig for andre.
page-release-title = Trekk deg fra oppdraget
page-reset-button = Lagre passordet
page-reset-done = Passordet er endret. Logg inn med det nye passordet i appen eller på innloggingssiden.
page-reset-intro = Velg et nytt passord på minst 10 tegn. Du blir logget ut på alle enheter.
page-reset-title = Nytt passord
page-set-button = Lagre passordet
page-set-done = Passordet er lagret. Logg inn med e-postadressen din og det nye passordet på innloggingssiden.
page-set-intro = Velg et passord på minst 10 tegn for kontoen din.
page-set-title = Velg passord
page-task-link-dead = Lenken virker ikke lenger. Oppdraget kan være over, avlyst eller ikke lenger ditt.
page-task-title = Oppdraget
page-to-sign-in = Til innloggingen
page-unlock-button = Lås opp
page-unlock-done = Ferdig. Logg inn på nytt fra samme sted innen en time. Var det ikke deg, bør du bytte passord med «Glemt passord?».
page-unlock-intro = Det har vært mange mislykkede innlogginger på kontoen din fra andre steder. Var det deg som skrev riktig passord nå nettopp? Trykk på knappen, så kan du logge inn derfra den neste timen.
page-unlock-title = Lås opp innloggingen
page-unsubscribe-button = Avslutt
page-unsubscribe-done = Ferdig. Du får ikke flere slike e-poster.
page-unsubscribe-intro = Trykk på knappen for å slutte å få denne typen e-post. Du kan slå den på igjen i appen.
page-unsubscribe-title = Avslutt e-poster
page-verify-button = Bekreft
page-verify-done = Takk! E-postadressen er bekreftet.
page-verify-intro = Trykk på knappen for å bekrefte e-postadressen din.
page-verify-title = Bekreft e-postadressen
page-weak-password = Passordet er for svakt. Bruk minst 10 tegn, og ikke et vanlig passord eller noe som ligner e-postadressen din. Lenken virker fortsatt.

## The council's printable overview for its yearly meeting

meeting-title = { $name } nærmiljøutvalg — årsmøte { $year }
meeting-heading = { $name } nærmiljøutvalg
meeting-intro = Oversikt til den årlige gjennomgangen med kommunen, { $year }.
meeting-per-category = Oppdrag per kategori
meeting-category = Kategori
meeting-posted = Lagt ut
meeting-taken = Tatt
meeting-done = Utført
meeting-withdrawn = Trukket
meeting-expired = Utløpt
meeting-hours = Timer
meeting-volunteers = Frivillige
meeting-no-tasks = Ingen oppdrag dette året.
meeting-opted-out-heading = Frasagte kategorier
meeting-opt-out-line = { $category } — siden { $since }, begrunnelse: { $reason } (vurderes innen { $review_by })
meeting-none = Ingen.
meeting-changes = Endringer i { $year }
meeting-opted-out = Frasagt
meeting-opted-in = Tatt inn igjen
meeting-no-changes = Ingen endringer i år.
meeting-past-reviews = Tidligere gjennomganger
meeting-decision-keep = { $category } beholdes frasagt
meeting-decision-opt-in = { $category } tas inn igjen
meeting-decision-take = { $category } tas på
meeting-no-reviews = Ingen gjennomganger registrert.

## Spreadsheets (CSV): the heading line and the total rows, comma-separated

csv-report-headings = Nøkkel,Gruppe,Lagt ut,Fikk frivillig,Fullført,Avlyst,Utløpt uten frivillig,Trukket tilbake,Oppdrag tatt,Oppdrag gitt fra seg,Frivillige timer,Aktive frivillige,Median timer til første frivillige,Andel med frivillig før start,Skjult (færre enn tre personer)
csv-funding-headings = Nærmiljøutvalg,Med i nøkkelen,Innbyggere 0–19 år,Kilde,Per dato,Grunnbeløp (kr),Del per barn (kr),Sum (kr)
csv-total = Totalt
csv-missing = mangler
csv-pot = Pott

## Console: reference data in nynorsk

reference-name-nynorsk = Navn (nynorsk)
reference-name-nynorsk-2 = Navn på nynorsk
reference-name-nynorsk-hint = Tomt: samme som på bokmål.

## Field problems: why a field of a form or request was refused

field-required = Må fylles ut.
field-empty = Må fylles ut.
field-too-long = Kan være høyst { $max } tegn.
field-too-long-bytes = Kan være høyst { $max } byte.
field-not-one-line = Må være én linje, uten linjeskift.
field-control-characters = Kan ikke inneholde kontrolltegn.
field-nul-characters = Kan ikke inneholde NUL-tegn.
field-not-whole-number = Må være et helt tall.
field-between = Må være et helt tall fra { $min } til { $max }.
field-minutes-between = Må være fra { $min } til { $max } minutter.
field-hours-up-to = Må være mer enn 0 og høyst { $max } timer.
field-months-or-none = Må være fra 1 til { $max } måneder, eller tomt for ingen utløp.
field-days-or-none = Må være fra 0 til { $max } dager, eller tomt.
field-kroner-up-to = Må være et helt antall kroner fra 0 til { $max }.
field-not-true-or-false = Må være true eller false.
field-not-uuid = Må være en UUID.
field-not-date = Må være en dato, for eksempel 2026-12-31.
field-not-date-time = Må være dato og klokkeslett, for eksempel 2026-12-08T14:00.
field-not-rfc3339 = Må være et tidspunkt i RFC 3339-format.
field-not-clock-time = Må være et klokkeslett som TT:MM.
field-skipped-local-time = Dette klokkeslettet finnes ikke den dagen (overgang til sommertid).
field-outside-years = Må være i årene 2000 til 2100.
field-out-of-range = Er utenfor det som kan brukes.
field-not-in-future = Må være fram i tid.
field-in-future = Kan ikke være fram i tid.
field-in-past = Kan ikke være tilbake i tid.
field-not-after-start = Må være etter starttiden.
field-one-of = Må være en av: { $choices }.
field-named-twice = Nevner et felt to ganger.
field-given-and-cleared = Har en verdi og står samtidig i `clear`.
field-not-slug = Må være små bokstaver og sifre, skilt med én bindestrek.
field-not-email = Skriv en gyldig e-postadresse.
field-password-too-short = Må være minst { $min } tegn.
field-password-is-email = Kan ikke være e-postadressen din.
field-password-too-simple = Er for enkelt; bruk flere ulike tegn.
field-password-common = Er blant de vanligste passordene; velg et annet.
field-wrong-password = Er feil.
field-wrong-code = Er ikke koden autentiseringsappen viser nå.
field-dead-link = Lenken er ugyldig, brukt eller utløpt.
field-not-cursor = Er ikke en side denne tjenesten har gitt ut.
field-not-idempotency-key = Må være 1 til 255 synlige ASCII-tegn.
field-not-json-object = Må være et JSON-objekt.
field-malformed = Ugyldig verdi: { $detail }
field-not-category = Velg en kategori.
field-not-active-category = Kategorien er ikke i bruk.
field-not-active-council = Nærmiljøutvalget er ikke aktivt.
field-not-service-unit = Velg en tjenesteenhet.
field-not-active-qualification = Velg en kvalifikasjon som er i bruk.
field-required-when-admin-posts = Velg tjenesteenheten oppgaven gjelder.
field-required-for-staff = Ansatte må høre til en tjenesteenhet.
field-required-for-coordinator = Koordinatorer må høre til et nærmiljøutvalg.
field-only-staff-have-unit = Bare ansatte hører til en tjenesteenhet.
field-only-volunteers-choose-council = Bare frivillige velger hjemmeutvalg; en administrator setter utvalget til en koordinator.
field-frequency = Velg hvor ofte.
field-weekly-only = Ukedager velges bare når den gjentas hver uke.
field-weekday-twice = Nevner { $day } to ganger.
field-before-first-date = Kan ikke være før første dato.
field-count-or-until = Fyll ut enten antall ganger eller siste dato, ikke begge.
field-too-many-occurrences = En serie kan ha høyst { $max } datoer.
field-category-twice = Nevner en kategori to ganger.
field-not-opted-out = Utvalget har ikke reservert seg mot denne kategorien.
field-month-start = Må være den første dagen i en måned.
field-month-end = Må være den siste dagen i en måned.
field-period = Må være samme dag som eller etter fra-datoen, høyst fem år senere.
field-not-active-claim = Er ikke en aktiv plass på denne oppgaven.
field-no-end-known = Må fylles ut: oppgaven har verken sluttid eller varighet.
field-issue-date-required = Må fylles ut for denne kvalifikasjonen (datoen på attesten).
field-issued-after-seen = Kan ikke være etter datoen den ble vist.
field-certificate-too-old = Attesten var utstedt mer enn { $max } dager før den ble vist: be om en ny.
field-legal-basis = Må vise til loven eller kommunens regel.
field-too-many-choices = Kan ha høyst { $max } valg.
field-not-a-choice = Er ikke et valg en person gjør.
field-required-for-email-change = Må fylles ut for å endre e-postadressen.
field-opt-back-in-first = Ta kategorien tilbake før utvalget tar den på seg.
field-not-whole-kroner = Må være hele kroner.
field-not-hours = Må være et antall timer, for eksempel 1,5.
field-key-reused = Er brukt før med et annet innhold.
field-only-takers-hold-qualifications = Bare frivillige og koordinatorer har kvalifikasjoner.
field-weekdays-once = Velg hver ukedag høyst én gang.
field-unknown-category = Inneholder en ukjent kategori.
field-unknown-qualification = Inneholder en ukjent kvalifikasjon.
field-volunteers-register-themselves = Frivillige registrerer seg selv; velg ansatt, koordinator eller administrator.
field-not-into-volunteer = En konto kan ikke gjøres om til frivillig; deaktiver den i stedet.
field-volunteer-stays-volunteer = En frivilligs konto kan ikke få en annen rolle; opprett en ny konto.

## Console: the accessibility statement

a11y-aim = Dugnad-konsollen til { $municipality } skal oppfylle WCAG 2.1 på nivå AA, slik forskrift om universell utforming av IKT krever.
a11y-labels = Alle skjemafelt har synlige ledetekster, og feil vises ved feltet de gjelder.
a11y-keyboard = Alle sider kan brukes med tastatur alene; elementet som har fokus, er alltid markert.
a11y-contrast = Tekstkontrasten er minst 4,5:1, og sidene tilpasser seg en bredde på 320 piksler.
a11y-charts = Alle diagrammer har tallene sine i en tabell ved siden av.
a11y-no-script = Sidene virker uten JavaScript.
a11y-checked = Hver versjon sjekkes automatisk med axe-core i en ekte nettleser og med en test som bare bruker tastatur. Virker noe ikke for deg, kan du skrive til kommunens servicetorg. Du kan også klage til Tilsynet for universell utforming av ikt.

## The volunteer web ("Dugnad på nett")

site-skip = Hopp til innholdet
site-menu = Hovedmeny
site-nav-tasks = Oppgaver
site-nav-mine = Mine oppdrag
site-nav-invitations = Invitasjoner
site-sign-out = Logg ut
site-accessibility = Tilgjengelighetserklæring
site-start-title = Bli med og hjelp
site-start-lead = I { $municipality } legger helse- og mestringstjenestene ut små oppdrag – følge til legen, en tur, en handletur – som frivillige tar når det passer dem.
site-start-promise = Du tar bare det du vil, og kan gi fra deg et oppdrag uten å si hvorfor.
site-sign-in = Logg inn
site-become-volunteer = Bli frivillig
site-email = E-post
site-password = Passord
site-no-account = Ingen konto ennå?
site-forgot = Glemt passordet?
site-name = Navn
site-council = Nærmiljøutvalg
site-council-none = Ikke valgt
site-language = Språk
site-password-hint = Minst { $min } tegn.
site-register-title = Bli frivillig
site-register-done-title = Sjekk e-posten din
site-register-done = Vi har sendt en lenke til { $email }. Åpne den for å bekrefte adressen, så kan du ta oppdrag.
site-email-taken = Det finnes allerede en konto med denne adressen. Logg inn, eller be om nytt passord.
site-fix-fields = Noe må rettes før du kan gå videre.
site-feed-title = Oppgaver
site-filter = Filtrer
site-filter-category = Kategori
site-filter-all = Alle
site-filter-from = Fra dato
site-filter-to = Til og med dato
site-filter-my-council = Bare mitt nærmiljøutvalg
site-filter-apply = Vis oppgaver
site-feed-empty = Ingen ledige oppgaver passer akkurat nå.
site-feed-more = Flere oppgaver
site-free-spots = { $count ->
    [one] 1 ledig plass
   *[other] { $count } ledige plasser
}
site-full = Fullt
site-needs-qualification = Krever en kvalifikasjon du ikke har registrert
site-you-hold = Du har tatt dette oppdraget
site-when = Når
site-where = Hvor
site-spots = Plasser
site-category = Kategori
site-claim = Ta oppdraget
site-release = Gi fra meg oppdraget
site-release-title = Gi fra deg oppdraget?
site-release-text = Du trenger ikke si hvorfor, og ingen holder det mot deg. Enheten får vite at plassen er ledig.
site-release-yes = Ja, gi fra meg oppdraget
site-release-no = Nei, behold det
site-watch = Varsle meg
site-unwatch = Ikke varsle meg
site-watching = Vi sier fra hvis en plass blir ledig.
site-full-lead = Alle plassene er tatt.
site-private-heading = Bare for deg som har tatt oppdraget
site-address = Adresse
site-recipient = Hvem du hjelper
site-phone = Telefon
site-notes = Merknader
site-contact = Kontakt
site-done-claimed = Oppdraget er ditt. Takk! En bekreftelse kommer på e-post.
site-done-released = Du har gitt fra deg oppdraget.
site-done-unwatched = Du får ikke lenger varsel om denne oppgaven.
site-done-declined = Invitasjonen er avslått. Ingen får vite det.
site-refusal-not-verified = Bekreft e-postadressen din først: åpne lenken vi sendte deg.
site-refusal-already = Du har allerede tatt dette oppdraget.
site-refusal-not-open = Oppdraget tar ikke imot flere frivillige – det har startet, er avlyst eller er ferdig.
site-refusal-council = Nærmiljøutvalget har reservert seg mot denne typen oppdrag, så det kan ikke tas.
site-refusal-qualification = Oppdraget krever en kvalifikasjon du ikke har registrert, for eksempel politiattest. Snakk med enheten.
site-refusal-full = Plassen er allerede tatt. Trykk «Varsle meg» for å få vite om en blir ledig.
site-refusal-overlap = Du har et annet oppdrag på samme tid.
site-refusal-not-claimant = Du har ikke dette oppdraget.
site-refusal-spot-free = Det er en ledig plass – ta oppdraget i stedet.
site-refusal-rate = For mange forsøk på kort tid. Vent litt og prøv igjen.
site-refusal-other = Det gikk ikke. Last siden på nytt og prøv igjen.
site-mine-title = Mine oppdrag
site-mine-upcoming = Kommende
site-mine-past = Tidligere
site-mine-empty = Du har ikke tatt noen oppdrag ennå.
site-mine-hours = { $hours } timer
site-mine-released = Gitt fra deg
site-mine-voided = Avlyst
site-invitations-title = Invitasjoner
site-invitations-lead = En enhet har spurt om du vil ta disse oppdragene. Sier du nei takk, får ingen vite det.
site-invitations-empty = Ingen åpne invitasjoner.
site-say-yes = Si ja
site-no-thanks = Nei takk
site-not-found-title = Fant ikke siden
site-not-found = Siden finnes ikke, eller oppgaven er ikke lenger ledig.
site-error-title = Noe gikk galt
site-error = Prøv igjen om litt.
site-forged-title = Skjemaet har gått ut
site-forged = Last siden på nytt og prøv igjen.
site-to-start = Til forsiden
site-a11y-title = Tilgjengelighetserklæring
site-a11y-aim = Dugnad på nett for { $municipality } skal oppfylle WCAG 2.1 på nivå AA, slik forskrift om universell utforming av IKT krever.
site-a11y-phone = Sidene er laget for mobil først, virker uten JavaScript, og alle knapper er minst 44 × 44 piksler.
site-nav-profile = Profil
site-profile-title = Profil
site-profile-about = Om deg
site-phone-hint = Valgfritt. Bare enheten for et oppdrag du har tatt, ser det.
site-invitable = Enheter kan invitere meg til oppdrag
site-opt-outs = Kategorier jeg ikke vil ha oppdrag i
site-opt-outs-hint = Du ser ikke oppdrag i kategoriene du krysser av.
site-preferences = Varsler
site-preferences-hint = Hva du vil høre om, og hvordan. Det som gjelder kontoen din, får du alltid på e-post.
site-channel-email = E-post
site-channel-fcm = Varsel i appen
site-kind-claim_confirmation = Bekreftelse når du tar et oppdrag
site-kind-task_changed = Et oppdrag du har tatt, er endret
site-kind-task_cancelled = Et oppdrag du har tatt, er avlyst
site-kind-reminder = Påminnelse dagen før
site-kind-invitation = Invitasjoner
site-kind-new_tasks_digest = Nye oppdrag, én gang om dagen
site-kind-qualification_expiring = En kvalifikasjon går snart ut
site-kind-spot_opened = En plass er blitt ledig nær deg
site-save = Lagre
site-done-saved = Lagret.
site-your-data = Dine data
site-download-data = Last ned mine data
site-download-hint = Alt vi har om deg, som en JSON-fil.
